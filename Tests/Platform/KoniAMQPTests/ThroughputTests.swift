import Foundation
import KoniAMQP
import Testing

/// Many publishes in flight at once: the broker then confirms several with one `multiple` ack,
/// and every publish must still get exactly its own answer.
@Suite struct ThroughputTests {
    @Test func concurrentPublishesAreAllConfirmedAndDelivered() async throws {
        let connection = try TestBroker.connect("throughput")
        let queue = TestBroker.unique("bulk")
        try await connection.declareQueue(queue)
        let publishers = 20
        let perPublisher = 25
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for publisher in 0..<publishers {
                group.addTask {
                    for number in 0..<perPublisher {
                        try await connection.publish(
                            exchange: "", routingKey: queue, body: Array("{}"), messageID: "\(publisher)-\(number)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let published = ContinuousClock.now - started
        #expect(try await connection.queueStatus(queue).messageCount == publishers * perPublisher)

        let deliveries = Collector(connection.consume(queue: queue, prefetch: 100))
        var seen = Set<String>()
        for _ in 0..<(publishers * perPublisher) {
            let delivery = try await deliveries.next()
            seen.insert(delivery.messageID ?? "")
            try await delivery.ack()
        }
        let expected = Set((0..<publishers).flatMap { publisher in (0..<perPublisher).map { "\(publisher)-\($0)" } })
        #expect(seen == expected)
        let total = ContinuousClock.now - started
        let count = publishers * perPublisher
        print("KoniAMQP: \(count) confirmed publishes from \(publishers) tasks in \(published); published and consumed in \(total)")

        deliveries.cancel()
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    /// One publish at a time, as an outbox relay does: prints the round trip per confirmed publish.
    @Test func sequentialPublishesAreConfirmedInOrder() async throws {
        let connection = try TestBroker.connect("sequential")
        let queue = TestBroker.unique("sequential")
        try await connection.declareQueue(queue, durable: false, autoDelete: true)
        let count = 200
        let started = ContinuousClock.now
        for number in 0..<count {
            try await connection.publish(exchange: "", routingKey: queue, body: Array("\(number)"), persistent: false)
        }
        let elapsed = ContinuousClock.now - started
        #expect(try await connection.queueStatus(queue).messageCount == count)
        print("KoniAMQP: \(count) sequential confirmed publishes in \(elapsed) (\(elapsed / count) each)")

        let deliveries = Collector(connection.consume(queue: queue, prefetch: 50))
        for number in 0..<count {
            let delivery = try await deliveries.next()
            #expect(delivery.body == Array("\(number)"))
            try await delivery.ack()
        }
        deliveries.cancel()
        await connection.close()
    }
}
