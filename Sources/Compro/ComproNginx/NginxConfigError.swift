/// A setting or template that cannot make a safe Nginx configuration, with what it concerns.
package struct NginxConfigError: Error, Sendable, CustomStringConvertible {
    /// The option, file or tenant the problem is in (`--listen`, `nginx/templates/server.conf.mustache:3`, `jatim/tenant.yml`).
    package var subject: String
    package var reason: String

    package init(_ subject: String, _ reason: String) {
        self.subject = subject
        self.reason = reason
    }

    package var description: String { "\(subject): \(reason)" }
}
