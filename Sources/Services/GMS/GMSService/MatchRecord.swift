import Foundation
import KoniJSON
import KoniSports

/// One match of a tournament (`matches`): its slot (round and position, which a knockout
/// bracket is drawn from), its two sides and, once completed, its score and winner.
struct MatchRecord: Sendable {
    enum Status: String, Sendable, CaseIterable {
        case scheduled
        case live
        case completed
        case cancelled
    }

    struct Side: Sendable, Equatable {
        var name: String
        var athleteID: UUID?

        var json: JSONValue {
            .object([("name", .string(name)), ("athlete_id", athleteID.map { .string($0.uuidString.lowercased()) } ?? .null)])
        }
    }

    var id: UUID
    var tenantID: UUID
    var tournamentID: UUID
    var round: Int
    var position: Int
    var scheduledAt: Date
    var venue: String
    var status: Status
    var home: Side
    var away: Side
    var score: JSONValue?
    var winner: MatchSide?
    var externalID: String?
    var version: Int

    func side(_ side: MatchSide) -> Side { side == .home ? home : away }

    /// What the API shows: the public form with the match's ids and version.
    var json: JSONValue {
        guard case .object(let shown) = publicJSON else { return publicJSON }
        return .object(
            [("id", .string(id.uuidString.lowercased())), ("tournament_id", .string(tournamentID.uuidString.lowercased()))] + shown
                + [("version", .number(Double(version)))]
        )
    }
}

extension MatchRecord {
    /// Whether two stored scores are the same score: PostgreSQL's `jsonb` gives an object's keys
    /// back in its own order, so scores are compared key by key, not as written.
    static func sameScore(_ left: JSONValue?, _ right: JSONValue?) -> Bool {
        switch (left, right) {
        case (nil, nil), (.null?, nil), (nil, .null?), (.null?, .null?): return true
        case (.object(let a)?, .object(let b)?):
            return a.count == b.count && a.allSatisfy { pair in b.contains { $0.key == pair.key && $0.value == pair.value } }
        default: return left == right
        }
    }
}
