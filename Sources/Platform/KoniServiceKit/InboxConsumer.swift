import Foundation
import KoniAMQP
import KoniEvents
import KoniJSON
import Logging
import PostgresNIO
import ServiceLifecycle

/// Consumes other services' events exactly once (the transactional inbox): the handler's
/// changes and the event's id in `consumed_events` commit in one transaction, so a redelivery
/// finds the id and is only acknowledged.
///
/// A body that is not an envelope, or that the handler rejects (``RejectedEvent``), is
/// dead-lettered; a failure that is not the event's fault (the database away) requeues it, and
/// the quorum queue's `x-delivery-limit` dead-letters a message that keeps failing, so nothing
/// is redelivered forever. A requeued event waits first (1, 2, 4 … 30 s by its delivery count),
/// so that a database restart of a few seconds does not use up the delivery limit.
public struct InboxConsumer: Service {
    /// What became of one event.
    public enum Outcome: Sendable, Equatable {
        case applied
        case alreadyApplied
        /// Acknowledged without a change (an event of a kind this service does not own).
        case ignored(String)
        case rejected(String)
    }

    /// Applies one event inside the inbox's transaction; throws ``RejectedEvent`` to dead-letter
    /// it (the transaction is rolled back), returns `.ignored` to acknowledge it unchanged.
    public typealias Handler = @Sendable (ReceivedEvent, JSONFields, PostgresConnection) async throws -> Outcome

    /// The table to include in the consuming service's migrations.
    public static let migrationStatements = [
        """
        CREATE TABLE consumed_events (
            id text PRIMARY KEY,
            type text NOT NULL,
            consumed_at timestamptz NOT NULL DEFAULT now()
        )
        """
    ]

    public let queue: String
    public let bindings: [EventType]
    let connection: AMQPConnection
    let database: Database
    let exchange: String
    let logger: Logger
    let handler: Handler
    /// Opened once migrations ran (`consumed_events` exists); nil: consume at once.
    let ready: ReadyGate?

    public init(
        queue: String, bindings: [EventType], connection: AMQPConnection, database: Database, exchange: String, logger: Logger,
        ready: ReadyGate? = nil, handler: @escaping Handler
    ) {
        self.ready = ready
        self.queue = queue
        self.bindings = bindings
        self.connection = connection
        self.database = database
        self.exchange = exchange
        self.logger = logger
        self.handler = handler
    }

    public func run() async throws {
        if let ready, !(await ready.wait()) { return }
        try await connection.declareExchange(exchange, type: "topic")
        try await connection.declareExchange(EventTopology.deadExchange, type: "direct")
        try await connection.declareQueue(
            queue,
            arguments: [
                "x-queue-type": "quorum", "x-delivery-limit": .int(5), "x-dead-letter-exchange": .string(EventTopology.deadExchange),
                "x-dead-letter-routing-key": .string(queue),
            ])
        for binding in bindings { try await connection.bindQueue(queue, exchange: exchange, routingKey: binding.rawValue) }
        try await connection.declareQueue("\(queue).dead")
        try await connection.bindQueue("\(queue).dead", exchange: EventTopology.deadExchange, routingKey: queue)
        let deliveries = connection.consume(queue: queue, prefetch: 8)
        try await cancelWhenGracefulShutdown {
            for try await delivery in deliveries {
                let outcome: Outcome
                do {
                    outcome = try await apply(delivery.body)
                } catch {
                    // Not the event's fault (the database away): wait, then requeue; the delivery limit bounds the retries.
                    var count: Int64 = 0
                    if case .int(let delivered)? = delivery.headers["x-delivery-count"] { count = min(max(delivered, 0), 5) }
                    let wait = Duration.seconds(min(30, 1 << count))
                    logger.error(
                        "event not applied; requeued",
                        metadata: [
                            "queue": "\(queue)", "error": .string(String(reflecting: error)), "retry_in": "\(wait)",
                        ])
                    try? await Task.sleep(for: wait)
                    try await delivery.nack(requeue: true)
                    continue
                }
                switch outcome {
                case .applied, .alreadyApplied, .ignored:
                    try await delivery.ack()
                case .rejected(let reason):
                    logger.warning("event dead-lettered", metadata: ["queue": "\(queue)", "reason": .string(reason)])
                    try await delivery.nack(requeue: false)
                }
            }
        }
    }

    /// Applies one event body; what the consumer loop does with each delivery.
    public func apply(_ body: [UInt8]) async throws -> Outcome {
        let event: ReceivedEvent
        do { event = try ReceivedEvent.parse(body) } catch { return .rejected(error.description) }
        guard bindings.contains(event.type) else { return .ignored("type \(event.type) is not consumed here") }
        guard let data = event.data else { return .rejected("data is missing") }
        guard !event.id.isEmpty, event.id.utf8.count <= 64 else { return .rejected("id is missing or too long") }
        do {
            return try await database.transaction { connection -> Outcome in
                let fresh = try await connection.query(
                    "INSERT INTO consumed_events (id, type) VALUES (\(event.id), \(event.type.rawValue)) ON CONFLICT DO NOTHING RETURNING 1", logger: logger
                )
                var isNew = false
                for try await _ in fresh { isNew = true }
                guard isNew else { return .alreadyApplied }
                return try await handler(event, data, connection)
            }
        } catch let rejected as RejectedEvent {
            return .rejected(rejected.reason)
        }
    }
}

/// Thrown by an ``InboxConsumer`` handler so that the event is dead-lettered and its changes
/// (and its consumed-event row) rolled back.
public struct RejectedEvent: Error, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
