import Foundation
import KoniTestSupport
import KoniAMQP
import Testing

/// The broker drops the connection (as on a restart, `rabbitmqctl close_connection` or a network
/// cut): the library reconnects, declares its topology again, resubscribes its consumers, and the
/// broker redelivers what was not acknowledged.
@Suite struct ReconnectTests {
    @Test func consumerStreamAndPublishingSurviveABrokerSideDisconnect() async throws {
        let name = "reconnect-\(UUID().uuidString.prefix(8))"
        let connection = AMQPConnection(configuration: try TestBroker.configuration(name: name), logger: TestBroker.logger)
        let exchange = TestBroker.unique("events")
        // Auto-delete: the broker deletes it with the old connection, so only the library's
        // re-declaration brings it (and its binding) back.
        let transient = TestBroker.unique("transient")
        let durable = TestBroker.unique("durable")
        try await connection.declareExchange(exchange, durable: false)
        try await connection.declareQueue(transient, durable: false, autoDelete: true)
        try await connection.bindQueue(transient, exchange: exchange, routingKey: "cms.#")
        try await connection.declareQueue(durable)

        let transientDeliveries = Collector(connection.consume(queue: transient, prefetch: 10))
        let durableDeliveries = Collector(connection.consume(queue: durable, prefetch: 10))

        try await connection.publish(exchange: exchange, routingKey: "cms.page_updated", body: Array("before"), mandatory: true)
        let before = try await transientDeliveries.next()
        #expect(before.body == Array("before"))
        try await before.ack()

        try await connection.publish(exchange: "", routingKey: durable, body: Array("unacked"), messageID: "u-1")
        let unacked = try await durableDeliveries.next()
        #expect(!unacked.redelivered)

        #expect(try await TestBroker.closeConnections(named: name) == 1)
        try await eventually("reconnected") { connection.status.connections >= 2 && connection.status.isConnected }
        #expect(connection.status.lastError?.contains("CONNECTION_FORCED") == true)

        // Mandatory: if the queue or binding had not been declared again, the message would come back.
        try await publishRetrying(connection) {
            try await connection.publish(
                exchange: exchange, routingKey: "cms.news_published", body: Array("after"), mandatory: true)
        }
        let after = try await transientDeliveries.next()
        #expect(after.body == Array("after"))
        try await after.ack()

        let redelivered = try await durableDeliveries.next()
        #expect(redelivered.redelivered)
        #expect(redelivered.messageID == "u-1")
        try await redelivered.ack()
        // The old delivery's channel died with the old connection.
        await #expect(throws: AMQPError.staleDelivery(operation: "ack delivery 1 from queue '\(durable)'")) {
            try await unacked.ack()
        }

        transientDeliveries.cancel()
        durableDeliveries.cancel()
        try await connection.deleteQueue(durable)
        try await connection.deleteExchange(exchange)
        await connection.close()
    }

    /// Right after the disconnect the library may not have noticed yet, or may be between
    /// attempts: an outbox relay retries, and so does this.
    private func publishRetrying(_ connection: AMQPConnection, _ publish: () async throws -> Void) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while true {
            do {
                try await publish()
                return
            } catch let error as AMQPError {
                switch error {
                case .notConnected, .connectionLost, .connectionClosed:
                    guard ContinuousClock.now < deadline else { throw error }
                    try await Task.sleep(for: .milliseconds(50))
                default:
                    throw error
                }
            }
        }
    }
}
