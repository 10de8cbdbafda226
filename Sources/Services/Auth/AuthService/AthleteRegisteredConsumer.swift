import Foundation
import KoniBranches
import KoniAMQP
import KoniJSON
import KoniServiceKit
import Logging
import PostgresNIO
import ServiceLifecycle

/// Consumes `athlete.registered` (Athlete → Auth): the athlete's account gets the role `player`
/// for the athlete's branch.
///
/// Exactly once per event: the grant and the event's id in `consumed_events` commit together,
/// so a redelivery finds the id and only acknowledges. An event that cannot be applied (not an
/// envelope, a missing or malformed field, an unknown user or branch) is rejected without
/// requeue and the broker dead-letters it; the queue's `x-delivery-limit` also parks a message
/// that keeps failing for another reason (the database away), so nothing loops forever.
public struct AthleteRegisteredConsumer: Service {
    public static let queue = "auth.athlete-registered"

    let connection: AMQPConnection
    let database: Database
    let users: UserStore
    let branches: BranchRegistry
    let exchange: String
    let logger: Logger

    /// What became of one event.
    enum Outcome: Equatable, Sendable {
        case granted
        case alreadyApplied
        case rejected(String)
    }

    public func run() async throws {
        try await connection.declareExchange(exchange, type: "topic")
        try await connection.declareExchange(EventTopology.deadExchange, type: "direct")
        try await connection.declareQueue(Self.queue, arguments: [
            "x-queue-type": "quorum", "x-delivery-limit": .int(5), "x-dead-letter-exchange": .string(EventTopology.deadExchange),
            "x-dead-letter-routing-key": .string(Self.queue),
        ])
        try await connection.bindQueue(Self.queue, exchange: exchange, routingKey: EventType.athleteRegistered.rawValue)
        try await connection.declareQueue("\(Self.queue).dead")
        try await connection.bindQueue("\(Self.queue).dead", exchange: EventTopology.deadExchange, routingKey: Self.queue)
        let deliveries = connection.consume(queue: Self.queue, prefetch: 8)
        try await cancelWhenGracefulShutdown {
            for try await delivery in deliveries {
                let outcome: Outcome
                do {
                    outcome = try await apply(delivery.body)
                } catch {
                    // Not the event's fault (the database is away): requeue; the delivery limit bounds the retries.
                    logger.error("athlete.registered not applied; requeued", metadata: ["error": .string(String(reflecting: error))])
                    try await delivery.nack(requeue: true)
                    continue
                }
                switch outcome {
                case .granted, .alreadyApplied:
                    try await delivery.ack()
                case .rejected(let reason):
                    logger.warning("athlete.registered dead-lettered", metadata: ["reason": .string(reason)])
                    try await delivery.nack(requeue: false)
                }
            }
        }
    }

    /// Applies one event body.
    func apply(_ body: [UInt8]) async throws -> Outcome {
        let event: ReceivedEvent
        do { event = try ReceivedEvent.parse(body) } catch { return .rejected(error.description) }
        guard event.type == .athleteRegistered else { return .rejected("type \(event.type) is not athlete.registered") }
        guard let data = event.data else { return .rejected("data is missing") }
        let userID: UUID
        let tenantID: UUID
        do {
            guard let user = try data.string("user_id").flatMap(UUID.init(uuidString:)) else { return .rejected("data.user_id is not a UUID") }
            guard let tenant = try data.string("tenant_id").flatMap(UUID.init(uuidString:)) else { return .rejected("data.tenant_id is not a UUID") }
            userID = user
            tenantID = tenant
        } catch {
            return .rejected(error.description)
        }
        guard let branch = branches.branch(id: tenantID) else { return .rejected("tenant \(tenantID) is not a registered branch") }
        guard event.id.utf8.count <= 64, !event.id.isEmpty else { return .rejected("id is missing or too long") }
        do {
            return try await database.transaction { connection -> Outcome in
            let fresh = try await connection.query(
                "INSERT INTO consumed_events (id, type) VALUES (\(event.id), \(event.type.rawValue)) ON CONFLICT DO NOTHING RETURNING 1", logger: logger
            )
            var isNew = false
            for try await _ in fresh { isNew = true }
            guard isNew else { return .alreadyApplied }
            guard try await users.lock(userID: userID, on: connection) else { throw RejectedEvent(reason: "no user \(userID)") }
            let grant = RoleGrant(role: RoleMatrix.player, tenantID: branch.id, tenantSlug: branch.slug)
            if try await users.grant(grant, to: userID, by: nil, on: connection) {
                let roles = try await users.roles(userID: userID, on: connection).filter { $0.tenantID == nil || $0.tenantID == branch.id }
                try await Outbox.add(
                    OutboxEvent(type: .userRoleChanged, tenantID: branch.id, tenantSlug: branch.slug, data: .object([
                        ("user_id", .string(userID.uuidString.lowercased())), ("roles", .array(roles.map { .string($0.role) })),
                        ("tenant_id", .string(branch.id.uuidString.lowercased())),
                    ]), traceID: event.traceID),
                    on: connection, logger: logger
                )
            }
            return .granted
            }
        } catch let rejected as RejectedEvent {
            return .rejected(rejected.reason)
        }
    }
}

/// Thrown inside the transaction so that the consumed-event row is rolled back with the grant.
struct RejectedEvent: Error {
    var reason: String
}
