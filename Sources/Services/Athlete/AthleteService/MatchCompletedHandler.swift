import Foundation
import KoniJSON
import KoniSports
import KoniServiceKit
import Logging
import PostgresNIO

/// `match.completed` (GMS): each participant's match statistics are added to their athlete's
/// once per match (`counted_matches`, in the inbox's transaction), validated by the athlete's
/// sport, and `athlete.updated` re-renders their profile. Only the event's branch's athletes are
/// looked at (a result in one branch never changes another's); a participant this service does
/// not know, or whose statistics are not of their sport (GMS checks them by the tournament's
/// sport), is skipped and logged, so the others of the match still count. An event that is not
/// well formed is dead-lettered.
struct MatchCompletedHandler: Sendable {
    let store: AthleteStore
    let logger: Logger

    static let queue = "athlete.matches"

    func handle(_ event: ReceivedEvent, _ data: JSONFields, _ connection: PostgresConnection) async throws -> InboxConsumer.Outcome {
        let matchID: String
        let participants: [JSONFields]
        do throws(FieldError) {
            matchID = try data.requiredString("match_id")
            participants = try data.objectList("participants")
        } catch {
            throw RejectedEvent(error.description)
        }
        guard matchID.utf8.count <= 100 else { throw RejectedEvent("match_id longer than 100 bytes") }
        guard participants.count <= 200 else { throw RejectedEvent("more than 200 participants") }
        guard let branch = UUID(uuidString: event.tenantID) else { throw RejectedEvent("tenant_id is not a UUID") }
        let sports = try await store.sports(on: connection)
        var changed = 0
        for participant in participants {
            let athleteID: UUID
            let added: [(key: String, value: JSONValue)]
            do throws(FieldError) {
                guard let text = try participant.string("athlete_id"), let id = UUID(uuidString: text) else {
                    throw participant.error("athlete_id", "not a UUID")
                }
                athleteID = id
                added = try participant.freeObject("stats")
            } catch {
                throw RejectedEvent(error.description)
            }
            guard var athlete = try await store.athlete(id: athleteID, tenantID: branch, lock: true, on: connection) else { continue }
            guard let rules = sports.first(where: { $0.code == athlete.sport }) else { continue }
            let numbers: [(key: String, value: Int)]
            do { numbers = try rules.validate(added, field: "participants.stats") } catch {
                logger.warning(
                    "a participant's statistics are not of their sport; not counted",
                    metadata: [
                        "match_id": "\(matchID)", "athlete_id": "\(athleteID)", "sport": "\(athlete.sport)", "error": "\(error.description)",
                    ])
                continue
            }
            guard try await store.countMatch(matchID, athleteID: athlete.id, on: connection) else { continue }
            athlete.stats = rules.adding(numbers, to: athlete.stats)
            try await store.update(athlete, on: connection)
            athlete.version += 1
            try await Outbox.add(
                AthleteEvents.event(.athleteUpdated, athlete, tenantSlug: event.tenantSlug ?? "", traceID: event.traceID), on: connection, logger: logger
            )
            changed += 1
        }
        return changed == 0 ? .ignored("no participant of this service was new to match \(matchID)") : .applied
    }
}
