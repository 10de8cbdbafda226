/// What a passive queue declaration reports.
public struct AMQPQueueStatus: Sendable, Hashable {
    public let name: String
    /// Messages ready for delivery (not counting those delivered and not yet acknowledged).
    public let messageCount: Int
    public let consumerCount: Int
}
