import Foundation
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

        #expect(try TestBroker.closeConnections(named: name) == 1)
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

/// Outages between the library and the broker, simulated with a TCP relay so that no other test's
/// connection is touched.
@Suite struct OutageTests {
    private func connectThrough(_ proxy: TCPProxy, name: String, heartbeatSeconds: Int = 10) throws -> AMQPConnection {
        let broker = try AMQPConfiguration(url: TestBroker.url())
        let configuration = try AMQPConfiguration(
            url: "amqp://\(broker.user):\(broker.password)@127.0.0.1:\(proxy.port)/", heartbeatSeconds: heartbeatSeconds,
            connectionName: name, reconnectDelay: .milliseconds(100), maxReconnectDelay: .milliseconds(400),
            connectTimeout: .seconds(2), rpcTimeout: .seconds(5))
        return AMQPConnection(configuration: configuration, logger: TestBroker.logger)
    }

    @Test func brokerUnreachableForAWhile() async throws {
        let proxy = try TCPProxy(targetPort: try AMQPConfiguration(url: TestBroker.url()).port)
        let connection = try connectThrough(proxy, name: "outage")
        let queue = TestBroker.unique("outage")
        try await connection.declareQueue(queue)
        let deliveries = Collector(connection.consume(queue: queue, prefetch: 5))
        try await connection.publish(exchange: "", routingKey: queue, body: Array("before"))
        try await deliveries.next().ack()

        proxy.cut()
        try await eventually("reconnect attempts are refused") {
            !connection.status.isConnected && connection.status.lastError?.contains("TCP connection failed") == true
        }
        let error = await #expect(throws: AMQPError.self) {
            try await connection.publish(exchange: "", routingKey: queue, body: Array("during"))
        }
        guard case .notConnected? = error else {
            Issue.record("expected notConnected during the outage, got \(String(describing: error))")
            return
        }

        try proxy.restore()
        try await eventually("reconnected") { connection.status.isConnected }
        #expect(connection.status.connections == 2)
        try await connection.publish(exchange: "", routingKey: queue, body: Array("after"))
        let after = try await deliveries.next()
        #expect(after.body == Array("after"))
        try await after.ack()

        deliveries.cancel()
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test func heartbeatsKeepAnIdleConnectionAndDetectADeadOne() async throws {
        let proxy = try TCPProxy(targetPort: try AMQPConfiguration(url: TestBroker.url()).port)
        let connection = try connectThrough(proxy, name: "heartbeat", heartbeatSeconds: 1)
        let queue = TestBroker.unique("heartbeat")
        try await connection.declareQueue(queue, durable: false, autoDelete: true)
        let deliveries = Collector(connection.consume(queue: queue, prefetch: 5))
        try await eventually("subscribed") { try await connection.queueStatus(queue).consumerCount == 1 }

        // Idle for three heartbeat intervals: without heartbeats going both ways, the broker or the
        // library would have given up on the connection by now.
        try await Task.sleep(for: .seconds(3))
        #expect(connection.status.isConnected)
        #expect(connection.status.connections == 1)

        // Nothing gets through any more, but no socket is closed: only missed heartbeats tell.
        proxy.freeze()
        try await eventually("the dead connection is noticed and replaced") { connection.status.connections == 2 }
        #expect(connection.status.lastError?.contains("heartbeat") == true)
        try await connection.publish(exchange: "", routingKey: queue, body: Array("alive"))
        let delivery = try await deliveries.next()
        #expect(delivery.body == Array("alive"))
        try await delivery.ack()

        deliveries.cancel()
        await connection.close()
        proxy.cut()
    }
}
