import Foundation
import KoniJSON
import KoniServiceKit

/// `tournament.created` / `tournament.updated` (tournament_id, tenant_id, slug, sport) and
/// `match.completed` (match_id, tournament_id, tournament_slug, sport, score, winner, sides and the
/// participants' statistics, which the Athlete service adds once per match).
enum GMSEvents {
    static func tournament(_ type: EventType, _ tournament: TournamentRecord, tenantSlug: String, traceID: String) -> OutboxEvent {
        let data = JSONValue.object([
            ("tournament_id", .string(tournament.id.uuidString.lowercased())), ("tenant_id", .string(tournament.tenantID.uuidString.lowercased())),
            ("slug", .string(tournament.slug)), ("sport", .string(tournament.sport)),
        ])
        return OutboxEvent(type: type, tenantID: tournament.tenantID, tenantSlug: tenantSlug, data: data, traceID: traceID)
    }

    static func matchCompleted(
        _ match: MatchRecord, tournament: TournamentRecord, participants: [JSONValue], tenantSlug: String, traceID: String
    ) -> OutboxEvent {
        let data = JSONValue.object([
            ("match_id", .string(match.id.uuidString.lowercased())), ("tournament_id", .string(tournament.id.uuidString.lowercased())),
            ("tournament_slug", .string(tournament.slug)), ("tenant_id", .string(match.tenantID.uuidString.lowercased())), ("sport", .string(tournament.sport)),
            ("score", match.score ?? .null), ("winner", match.winner.map { .string($0.rawValue) } ?? .null), ("home", match.home.json),
            ("away", match.away.json),
            ("participants", .array(participants)),
        ])
        return OutboxEvent(type: .matchCompleted, tenantID: match.tenantID, tenantSlug: tenantSlug, data: data, traceID: traceID)
    }
}
