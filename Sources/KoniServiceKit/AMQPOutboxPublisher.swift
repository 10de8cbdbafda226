import KoniAMQP

/// Publishes outbox rows to a RabbitMQ topic exchange: persistent, routing key = event type,
/// message id = event id, returning only after the broker's publisher confirm.
public struct AMQPOutboxPublisher: OutboxPublisher {
    public let connection: AMQPConnection
    public let exchange: String

    public init(connection: AMQPConnection, exchange: String = "koni.events") {
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
            messageID: message.id.uuidString.lowercased(), contentType: "application/json"
        )
    }
}
