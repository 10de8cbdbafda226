import Foundation
import KoniTestSupport
import KoniAMQP
import Testing

/// What the broker refuses, and that the connection stays usable afterwards.
@Suite struct BrokerErrorTests {
    @Test func publishToMissingExchangeThrows404AndTheConnectionStaysUsable() async throws {
        let connection = try TestBroker.connect("missing-exchange")
        let missing = TestBroker.unique("nowhere")
        let error = await #expect(throws: AMQPError.self) {
            try await connection.publish(exchange: missing, routingKey: "cms.page_updated", body: Array("{}"))
        }
        #expect(error?.replyCode == 404)
        guard case .channelClosed(let operation, _, let text)? = error else {
            Issue.record("expected channelClosed, got \(String(describing: error))")
            return
        }
        #expect(operation == "publish to exchange '\(missing)' with routing key 'cms.page_updated'")
        #expect(text.contains("NOT_FOUND") && text.contains(missing))

        let queue = TestBroker.unique("after-404")
        try await connection.declareQueue(queue)
        try await connection.publish(exchange: "", routingKey: queue, body: Array("still works"))
        let deliveries = Collector(connection.consume(queue: queue, prefetch: 1))
        let delivery = try await deliveries.next()
        #expect(delivery.body == Array("still works"))
        try await delivery.ack()
        #expect(connection.status.connections == 1)
        deliveries.cancel()
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test func unroutableMandatoryMessageIsReturned() async throws {
        let connection = try TestBroker.connect("mandatory")
        let exchange = TestBroker.unique("unbound")
        try await connection.declareExchange(exchange, durable: false)
        let error = await #expect(throws: AMQPError.self) {
            try await connection.publish(
                exchange: exchange, routingKey: "nobody.listens", body: Array("x"), messageID: "r-1", mandatory: true)
        }
        guard case .returned(_, 312, let text)? = error else {
            Issue.record("expected returned 312, got \(String(describing: error))")
            return
        }
        #expect(text == "NO_ROUTE")
        // Without mandatory the broker confirms and drops it.
        try await connection.publish(exchange: exchange, routingKey: "nobody.listens", body: Array("x"))
        try await connection.deleteExchange(exchange)
        await connection.close()
    }

    @Test func conflictingRedeclarationThrows406AndTheConnectionStaysUsable() async throws {
        let connection = try TestBroker.connect("conflict")
        let queue = TestBroker.unique("conflict")
        try await connection.declareQueue(queue, durable: true)
        let error = await #expect(throws: AMQPError.self) {
            try await connection.declareQueue(queue, durable: false)
        }
        #expect(error?.replyCode == 406)
        #expect(String(describing: error).contains("PRECONDITION_FAILED"))
        #expect(try await connection.queueStatus(queue).messageCount == 0)
        try await connection.deleteQueue(queue)
        await #expect(throws: AMQPError.self) { try await connection.queueStatus(queue) }
        await connection.close()
    }

    @Test func consumingAMissingQueueEndsTheStreamWith404() async throws {
        let connection = try TestBroker.connect("missing-queue")
        let deliveries = Collector(connection.consume(queue: TestBroker.unique("absent"), prefetch: 1))
        let error = try await deliveries.end()
        #expect(error?.contains("404") == true)
        #expect(error?.contains("NOT_FOUND") == true)
        await connection.close()
    }

    @Test func closeEndsStreamsAndRefusesLaterCalls() async throws {
        let connection = try TestBroker.connect("close")
        let queue = TestBroker.unique("close")
        try await connection.declareQueue(queue, autoDelete: true)
        let deliveries = Collector(connection.consume(queue: queue, prefetch: 1))
        try await eventually("subscribed") { try await connection.queueStatus(queue).consumerCount == 1 }
        await connection.close()
        #expect(try await deliveries.end() == nil)
        #expect(!connection.status.isConnected)
        await #expect(throws: AMQPError.closed(operation: "publish to exchange '' with routing key 'x'")) {
            try await connection.publish(exchange: "", routingKey: "x", body: [])
        }
        await connection.close()
    }

    @Test func unreachableBrokerFailsClearly() async throws {
        let configuration = try AMQPConfiguration(
            url: "amqp://guest:guest@127.0.0.1:1/", connectionName: "unreachable", reconnectDelay: .seconds(5))
        let connection = AMQPConnection(configuration: configuration, logger: TestBroker.logger)
        let error = await #expect(throws: AMQPError.self) {
            try await connection.declareExchange("koni.events")
        }
        guard case .notConnected(let operation, let reason)? = error else {
            Issue.record("expected notConnected, got \(String(describing: error))")
            return
        }
        #expect(operation == "declare topic exchange 'koni.events'")
        #expect(reason.contains("TCP connection failed"))
        #expect(connection.status.connections == 0)
        #expect(connection.status.lastError == reason)
        await connection.close()
    }

    @Test func wrongPasswordFailsClearly() async throws {
        let good = try AMQPConfiguration(url: TestBroker.url())
        let configuration = try AMQPConfiguration(
            url: "amqp://guest:wrong@\(good.endpoint)/", connectionName: "bad-login", reconnectDelay: .seconds(5))
        let connection = AMQPConnection(configuration: configuration, logger: TestBroker.logger)
        let error = await #expect(throws: AMQPError.self) {
            try await connection.publish(exchange: "", routingKey: "x", body: [])
        }
        #expect(String(describing: error).contains("login as 'guest'"))
        #expect(String(describing: error).contains("ACCESS_REFUSED"))
        await connection.close()
    }
}

@Suite struct ConsumerCancelTests {
    @Test func deletingTheQueueEndsItsConsumerStream() async throws {
        let connection = try TestBroker.connect("cancel")
        let queue = TestBroker.unique("cancelled")
        try await connection.declareQueue(queue)
        let deliveries = Collector(connection.consume(queue: queue, prefetch: 1))
        try await eventually("subscribed") { try await connection.queueStatus(queue).consumerCount == 1 }
        try await connection.deleteQueue(queue)
        #expect(try await deliveries.end() == AMQPError.consumerCancelled(queue: queue).description)
        // The connection is fine and the queue is not re-declared behind the caller's back.
        await #expect(throws: AMQPError.self) { try await connection.queueStatus(queue) }
        #expect(connection.status.connections == 1)
        await connection.close()
    }
}
