/// Where and how to connect: broker address, credentials, virtual host, heartbeat and the
/// reconnect policy.
public struct AMQPConfiguration: Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let user: String
    public let password: String
    /// The virtual host, `/` unless the URL names another one.
    public let virtualHost: String
    /// Heartbeat interval offered to the broker, in seconds; 0 turns heartbeats off.
    public let heartbeatSeconds: Int
    /// Shown by the broker (`rabbitmqctl list_connections client_properties`) and in log metadata.
    public let connectionName: String
    /// Wait before the first reconnect attempt; doubles after each failed attempt up to
    /// `maxReconnectDelay`.
    public let reconnectDelay: Duration
    public let maxReconnectDelay: Duration
    /// Limit for opening the TCP connection and for the AMQP handshake.
    public let connectTimeout: Duration
    /// Limit for each broker reply (declare, bind, channel open, …). A broker that does not answer
    /// in time is treated as a lost connection.
    public let rpcTimeout: Duration
    /// How long ``AMQPConnection/close()`` keeps waiting for outstanding publisher confirms.
    public let closeTimeout: Duration

    /// Parses `amqp://user:password@host:port/vhost`. User and password default to `guest`, the
    /// port to 5672, the virtual host to `/` (an empty path too); `%2f` in the path is a `/`, and
    /// user and password may be percent-encoded.
    public init(
        url: String,
        heartbeatSeconds: Int = 30,
        connectionName: String = "koni",
        reconnectDelay: Duration = .seconds(1),
        maxReconnectDelay: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10),
        rpcTimeout: Duration = .seconds(30),
        closeTimeout: Duration = .seconds(5)
    ) throws(AMQPError) {
        let parsed = try AMQPURL(url)
        guard (0...65535).contains(heartbeatSeconds) else {
            throw .invalidConfiguration(field: "heartbeatSeconds", reason: "\(heartbeatSeconds) is not between 0 and 65535")
        }
        for (field, value) in [
            ("reconnectDelay", reconnectDelay), ("maxReconnectDelay", maxReconnectDelay),
            ("connectTimeout", connectTimeout), ("rpcTimeout", rpcTimeout),
        ] where value <= .zero {
            throw .invalidConfiguration(field: field, reason: "\(value) is not positive")
        }
        guard closeTimeout >= .zero else {
            throw .invalidConfiguration(field: "closeTimeout", reason: "\(closeTimeout) is negative")
        }
        guard maxReconnectDelay >= reconnectDelay else {
            throw .invalidConfiguration(
                field: "maxReconnectDelay", reason: "\(maxReconnectDelay) is shorter than reconnectDelay \(reconnectDelay)")
        }
        guard !connectionName.isEmpty, connectionName.utf8.count <= 255, !connectionName.contains("\0") else {
            throw .invalidConfiguration(field: "connectionName", reason: "must be 1 to 255 bytes without NUL")
        }
        host = parsed.host
        port = parsed.port
        user = parsed.user
        password = parsed.password
        virtualHost = parsed.virtualHost
        self.heartbeatSeconds = heartbeatSeconds
        self.connectionName = connectionName
        self.reconnectDelay = reconnectDelay
        self.maxReconnectDelay = maxReconnectDelay
        self.connectTimeout = connectTimeout
        self.rpcTimeout = rpcTimeout
        self.closeTimeout = closeTimeout
    }

    /// `host:port`, as used in messages.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The URL without the password.
    public var description: String {
        let vhost = virtualHost == "/" ? "" : AMQPURL.percentEncode(virtualHost)
        return "amqp://\(AMQPURL.percentEncode(user)):***@\(endpoint)/\(vhost)"
    }

    /// The delay before reconnect attempt `attempt` (1 for the first).
    func reconnectDelay(attempt: Int) -> Duration {
        var delay = reconnectDelay
        for _ in 1..<max(attempt, 1) {
            delay *= 2
            if delay >= maxReconnectDelay { return maxReconnectDelay }
        }
        return min(delay, maxReconnectDelay)
    }
}
