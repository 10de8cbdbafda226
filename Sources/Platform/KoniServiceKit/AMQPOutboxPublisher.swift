import KoniAMQP
import KoniEvents

/// Publishes outbox rows to a RabbitMQ topic exchange: persistent, routing key = event type,
/// message id = event id, returning only after the broker's publisher confirm.
///
/// Each message also carries the headers ``typeHeader`` (the event type) and, when the envelope
/// names a tenant, ``tenantHeader`` (its `tenant_slug`): a headers exchange bound to the topic
/// exchange can then route by tenant (the revalidation daemon's `--shard-tenant`). The body and
/// the routing key are the envelope and the event type, unchanged.
public struct AMQPOutboxPublisher: OutboxPublisher {
    /// The message header with the envelope's `tenant_slug`.
    public static let tenantHeader = EventTopology.tenantHeader
    /// The message header with the envelope's `type`.
    public static let typeHeader = EventTopology.typeHeader

    public let connection: AMQPConnection
    public let exchange: String

    public init(connection: AMQPConnection, exchange: String = EventTopology.exchange) {
        self.connection = connection
        self.exchange = exchange
    }

    /// Declares the exchange (durable topic); the library re-declares it after reconnects.
    public func prepare() async throws {
        try await connection.declareExchange(exchange, type: "topic", durable: true)
    }

    public func publish(_ message: OutboxMessage) async throws {
        try await connection.publish(
            exchange: exchange, routingKey: message.type, body: message.body, persistent: true,
            messageID: message.id.uuidString.lowercased(), contentType: "application/json", headers: Self.headers(of: message)
        )
    }

    /// The routing headers of `message`: `type`, and `tenant_slug` when it names a tenant.
    public static func headers(of message: OutboxMessage) -> [String: AMQPFieldValue] {
        var headers: [String: AMQPFieldValue] = [typeHeader: .string(message.type)]
        if let slug = message.tenantSlug { headers[tenantHeader] = .string(slug) }
        return headers
    }
}
