import Foundation

/// Where the Redis server is and how to use it.
package struct RedisConfiguration: Sendable {
    package var host: String
    package var port: Int
    package var password: String?
    package var database: Int
    /// Connections, opened when first needed.
    package var poolSize = 4
    package var commandTimeout: Duration = .seconds(2)
    package var connectTimeout: Duration = .seconds(2)
    /// The largest bulk string read from the server.
    package var maximumReplyBytes = 16 << 20

    package init(host: String, port: Int = 6379, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.password = password
        self.database = database
    }

    /// `redis://[:password@]host[:port][/db]`; errors name the part and never echo the password.
    package init(url: String) throws(RedisError) {
        guard let components = URLComponents(string: url), components.scheme == "redis" else {
            throw RedisError(.configuration, "the URL must be redis://[:password@]host[:port][/db]")
        }
        guard let host = components.host, !host.isEmpty else { throw RedisError(.configuration, "the URL has no host") }
        let port = components.port ?? 6379
        guard (1...65535).contains(port) else { throw RedisError(.configuration, "port \(port) is not 1…65535") }
        var database = 0
        let path = components.path.drop { $0 == "/" }
        if !path.isEmpty {
            guard let number = Int(path), (0...1023).contains(number) else { throw RedisError(.configuration, "the database '\(path)' is not 0…1023") }
            database = number
        }
        let password = components.password.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding ?? $0 }
        self.init(host: host, port: port, password: password, database: database)
    }
}
