import Foundation
import KoniAMQP
import KoniBranches
import KoniJSON
import KoniServiceKit
import Logging
import PostgresNIO

/// Consumes `athlete.registered` (Athlete → Auth): the athlete's account gets the role `player`
/// for the athlete's branch, exactly once per event (``InboxConsumer``). An event naming an
/// unknown user or branch, or without a valid `user_id`/`tenant_id`, is dead-lettered.
package enum AthleteRegisteredConsumer {
    package static let queue = "auth.athlete-registered"

    static func make(
        queue: String = queue, connection: AMQPConnection, database: Database, users: UserStore, branches: LiveBranchRegistry, exchange: String, logger: Logger
    ) -> InboxConsumer {
        InboxConsumer(
            queue: queue, bindings: [.athleteRegistered], connection: connection, database: database, exchange: exchange, logger: logger
        ) { event, data, connection in
            let userID: UUID
            let tenantID: UUID
            do {
                guard let user = try data.string("user_id").flatMap(UUID.init(uuidString:)) else { throw RejectedEvent("data.user_id is not a UUID") }
                guard let tenant = try data.string("tenant_id").flatMap(UUID.init(uuidString:)) else { throw RejectedEvent("data.tenant_id is not a UUID") }
                userID = user
                tenantID = tenant
            } catch let error as FieldError {
                throw RejectedEvent(error.description)
            }
            guard let branch = branches.current.branch(id: tenantID) else { throw RejectedEvent("tenant \(tenantID) is not a registered branch") }
            guard try await users.lock(userID: userID, on: connection) else { throw RejectedEvent("no user \(userID)") }
            let grant = RoleGrant(role: RoleMatrix.player, tenantID: branch.id, tenantSlug: branch.slug)
            if try await users.grant(grant, to: userID, by: nil, on: connection) {
                let roles = try await users.roles(userID: userID, on: connection).filter { $0.tenantID == nil || $0.tenantID == branch.id }
                try await Outbox.add(
                    OutboxEvent(
                        type: .userRoleChanged, tenantID: branch.id, tenantSlug: branch.slug,
                        data: .object([
                            ("user_id", .string(userID.uuidString.lowercased())), ("roles", .array(roles.map { .string($0.role) })),
                            ("tenant_id", .string(branch.id.uuidString.lowercased())),
                        ]), traceID: event.traceID),
                    on: connection, logger: logger
                )
            }
            return .applied
        }
    }
}
