import Foundation
import KoniTestSupport
import KoniAMQP
import Testing

/// Publishing with confirms and consuming with manual acks, against the real RabbitMQ.
@Suite struct PublishConsumeTests {
    @Test func publishedMessageIsConfirmedThenConsumedAndAcked() async throws {
        let connection = try TestBroker.connect("publish-consume")
        let exchange = TestBroker.unique("events")
        let queue = TestBroker.unique("revalidate")
        try await connection.declareExchange(exchange)
        try await connection.declareQueue(queue)
        try await connection.bindQueue(queue, exchange: exchange, routingKey: "cms.*")

        let body = Array(#"{"type":"cms.page_updated","tenant_slug":"jatim"}"#)
        try await connection.publish(
            exchange: exchange, routingKey: "cms.page_updated", body: body, messageID: "evt-1",
            headers: ["trace_id": "trace-abc"])
        // Confirmed means the broker has it: it is in the queue before anyone consumes.
        #expect(try await connection.queueStatus(queue).messageCount == 1)

        let deliveries = Collector(connection.consume(queue: queue, prefetch: 10))
        let delivery = try await deliveries.next()
        #expect(delivery.body == body)
        #expect(delivery.routingKey == "cms.page_updated")
        #expect(delivery.exchange == exchange)
        #expect(delivery.queue == queue)
        #expect(delivery.messageID == "evt-1")
        #expect(delivery.contentType == "application/json")
        #expect(delivery.headers["trace_id"] == "trace-abc")
        #expect(!delivery.redelivered)
        #expect(delivery.deathCount == 0)
        try await delivery.ack()
        await #expect(throws: AMQPError.alreadySettled(operation: "ack delivery 1 from queue '\(queue)'")) {
            try await delivery.ack()
        }

        deliveries.cancel()
        try await eventually("the cancelled consumer is gone and the message acked") {
            let status = try await connection.queueStatus(queue)
            return status.consumerCount == 0 && status.messageCount == 0
        }
        try await connection.deleteQueue(queue)
        try await connection.deleteExchange(exchange)
        await connection.close()
    }

    @Test func deliveryModeFollowsPersistent() async throws {
        let connection = try TestBroker.connect("persistent")
        let queue = TestBroker.unique("persistent")
        try await connection.declareQueue(queue)
        // The default exchange routes by queue name.
        try await connection.publish(exchange: "", routingKey: queue, body: Array("durable"), persistent: true)
        try await connection.publish(exchange: "", routingKey: queue, body: Array("transient"), persistent: false)

        let deliveries = Collector(connection.consume(queue: queue, prefetch: 10))
        let first = try await deliveries.next()
        let second = try await deliveries.next()
        #expect(first.body == Array("durable") && first.persistent)
        #expect(second.body == Array("transient") && !second.persistent)
        try await first.ack()
        try await second.ack()
        deliveries.cancel()
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test func headersOfEveryKindSurviveTheRoundTrip() async throws {
        let connection = try TestBroker.connect("headers")
        let queue = TestBroker.unique("headers")
        try await connection.declareQueue(queue)
        let headers: [String: AMQPFieldValue] = [
            "string": "jatim", "int": 42, "negative": -7, "bool": true, "double": 0.25,
            "decimal": .decimal(scale: 2, value: 12345), "timestamp": .timestamp(Date(timeIntervalSince1970: 1_790_000_000)),
            "bytes": .bytes([0, 1, 254, 255]), "array": ["a", 1, false], "table": ["nested": ["deep": "yes"]], "void": .void,
        ]
        try await connection.publish(exchange: "", routingKey: queue, body: [], headers: headers)
        let deliveries = Collector(connection.consume(queue: queue, prefetch: 1))
        let delivery = try await deliveries.next()
        #expect(delivery.headers == headers)
        #expect(delivery.body.isEmpty)
        try await delivery.ack()
        deliveries.cancel()
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test func nackWithRequeueRedelivers() async throws {
        let connection = try TestBroker.connect("nack-requeue")
        let queue = TestBroker.unique("requeue")
        try await connection.declareQueue(queue)
        try await connection.publish(exchange: "", routingKey: queue, body: Array("again"), messageID: "m-1")

        let deliveries = Collector(connection.consume(queue: queue, prefetch: 5))
        let first = try await deliveries.next()
        #expect(!first.redelivered)
        try await first.nack(requeue: true)

        let second = try await deliveries.next()
        #expect(second.redelivered)
        #expect(second.messageID == "m-1")
        #expect(second.body == Array("again"))
        try await second.ack()
        await #expect(throws: AMQPError.self) { try await first.ack() }

        deliveries.cancel()
        try await eventually("the message is gone") { try await connection.queueStatus(queue).messageCount == 0 }
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test func prefetchLimitsUnackedDeliveries() async throws {
        let connection = try TestBroker.connect("prefetch")
        let queue = TestBroker.unique("prefetch")
        try await connection.declareQueue(queue)
        for number in 1...5 {
            try await connection.publish(exchange: "", routingKey: queue, body: Array("m\(number)"))
        }

        let deliveries = Collector(connection.consume(queue: queue, prefetch: 2))
        let first = try await deliveries.next()
        let second = try await deliveries.next()
        #expect([first.body, second.body] == [Array("m1"), Array("m2")])
        // The queue answers after it has handed out all it may: with prefetch 2 three stay ready.
        let status = try await connection.queueStatus(queue)
        #expect(status.messageCount == 3)
        #expect(status.consumerCount == 1)
        #expect(deliveries.buffered == 0)

        try await first.ack()
        let third = try await deliveries.next()
        #expect(third.body == Array("m3"))
        #expect(try await connection.queueStatus(queue).messageCount == 2)

        for delivery in [second, third] { try await delivery.ack() }
        for _ in 4...5 { try await deliveries.next().ack() }
        deliveries.cancel()
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test func rejectedMessageIsDeadLettered() async throws {
        let connection = try TestBroker.connect("dead-letter")
        let deadLetterExchange = TestBroker.unique("dlx")
        let deadLetterQueue = TestBroker.unique("dlq")
        let queue = TestBroker.unique("work")
        try await connection.declareExchange(deadLetterExchange, type: "fanout")
        try await connection.declareQueue(deadLetterQueue)
        try await connection.bindQueue(deadLetterQueue, exchange: deadLetterExchange, routingKey: "")
        try await connection.declareQueue(queue, arguments: ["x-dead-letter-exchange": .string(deadLetterExchange)])

        try await connection.publish(exchange: "", routingKey: queue, body: Array("poison"), messageID: "p-1")
        let work = Collector(connection.consume(queue: queue, prefetch: 1))
        let original = try await work.next()
        #expect(original.deathCount == 0)
        try await original.nack(requeue: false)

        let dead = Collector(connection.consume(queue: deadLetterQueue, prefetch: 1))
        let deadLettered = try await dead.next()
        #expect(deadLettered.deathCount == 1)
        #expect(deadLettered.messageID == "p-1")
        #expect(deadLettered.body == Array("poison"))
        let death = deadLettered.headers["x-death"]?.arrayValue?.first?.tableValue
        #expect(death?["reason"] == "rejected")
        #expect(death?["queue"] == .string(queue))
        try await deadLettered.ack()

        work.cancel()
        dead.cancel()
        for name in [queue, deadLetterQueue] { try await connection.deleteQueue(name) }
        try await connection.deleteExchange(deadLetterExchange)
        await connection.close()
    }
}
