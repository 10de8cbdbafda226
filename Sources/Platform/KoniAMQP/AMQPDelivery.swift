import Foundation

/// One message handed to a consumer. It stays unacknowledged (and counts against the consumer's
/// prefetch) until ``ack()`` or ``nack(requeue:)`` is called; if the connection drops first, the
/// broker delivers it again with `redelivered` set.
public struct AMQPDelivery: Sendable {
    public let body: [UInt8]
    public let routingKey: String
    public let exchange: String
    /// The queue the consumer reads from.
    public let queue: String
    public let redelivered: Bool
    public let messageID: String?
    public let contentType: String?
    /// Whether the message was published persistent (delivery mode 2).
    public let persistent: Bool
    public let headers: [String: AMQPFieldValue]
    let token: DeliveryToken

    /// Number of times the message went through a dead-letter cycle (from the x-death header), 0 if none.
    /// The header can be set by any publisher: counts are clamped so that no sum overflows.
    public var deathCount: Int {
        guard let deaths = headers["x-death"]?.arrayValue else { return 0 }
        return deaths.prefix(1000).reduce(0) { total, death in
            let count = min(max(death.tableValue?["count"]?.intValue ?? 1, 0), 1 << 32)
            return min(total + count, 1 << 40)
        }
    }

    /// Tells the broker the message was handled; it is removed from the queue.
    public func ack() async throws(AMQPError) {
        try await token.settle(requeue: nil)
    }

    /// Rejects the message (`basic.reject`): with `requeue` it goes back to the queue and is
    /// delivered again, otherwise it is dropped or, if the queue has a dead-letter exchange,
    /// dead-lettered.
    public func nack(requeue: Bool) async throws(AMQPError) {
        try await token.settle(requeue: requeue)
    }
}

/// What acknowledging a delivery needs: the channel it came on (and which opening of that channel),
/// its delivery tag, and whether it was already settled.
final class DeliveryToken: Sendable {
    let inbox: Inbox
    let channel: UInt16
    let session: UInt64
    let deliveryTag: UInt64
    let queue: String
    private let settled = Locked(false)

    init(inbox: Inbox, channel: UInt16, session: UInt64, deliveryTag: UInt64, queue: String) {
        self.inbox = inbox
        self.channel = channel
        self.session = session
        self.deliveryTag = deliveryTag
        self.queue = queue
    }

    func settle(requeue: Bool?) async throws(AMQPError) {
        let operation =
            switch requeue {
            case nil: "ack delivery \(deliveryTag) from queue '\(queue)'"
            case true?: "nack (requeue) delivery \(deliveryTag) from queue '\(queue)'"
            case false?: "nack delivery \(deliveryTag) from queue '\(queue)'"
            }
        let first = settled.withLock { settled in
            defer { settled = true }
            return !settled
        }
        guard first else { throw .alreadySettled(operation: operation) }
        let settlement = Settlement(
            channel: channel, session: session, deliveryTag: deliveryTag, requeue: requeue, operation: operation)
        try await inbox.call(operation) { .settle(settlement, $0) }
    }
}
