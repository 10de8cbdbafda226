/// A setting or template that cannot make a safe Nginx configuration, with what it concerns.
public struct NginxConfigError: Error, Sendable, CustomStringConvertible {
    /// The option, file or tenant the problem is in (`--listen`, `nginx/templates/server.conf.mustache:3`, `jatim/tenant.yml`).
    public var subject: String
    public var reason: String

    public init(_ subject: String, _ reason: String) {
        self.subject = subject
        self.reason = reason
    }

    public var description: String { "\(subject): \(reason)" }
}
