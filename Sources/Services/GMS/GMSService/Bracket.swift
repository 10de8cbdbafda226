import KoniJSON
import KoniSports

/// A knockout tournament's bracket: its rounds in order, each with its matches by slot, and the
/// round's name (``KnockoutRounds``).
struct Bracket: Sendable {
    struct Round: Sendable {
        var number: Int
        var name: String
        var matches: [MatchRecord]
    }

    var rounds: [Round]

    init(matches: [MatchRecord]) {
        let numbers = Set(matches.map(\.round)).sorted()
        let last = numbers.last ?? 0
        rounds = numbers.map { number in
            Round(
                number: number, name: KnockoutRounds.name(round: number, last: last),
                matches: matches.filter { $0.round == number }.sorted { $0.position < $1.position })
        }
    }

    var json: JSONValue {
        .array(
            rounds.map { round in
                .object([("round", .number(Double(round.number))), ("name", .string(round.name)), ("matches", .array(round.matches.map(\.publicJSON)))])
            })
    }
}

extension MatchRecord {
    /// A match as a branch site shows it: no athlete accounts beyond the id that links a profile.
    var publicJSON: JSONValue {
        .object([
            ("round", .number(Double(round))), ("position", .number(Double(position))), ("scheduled_at", .string(RFC3339.string(scheduledAt))),
            ("venue", .string(venue)), ("status", .string(status.rawValue)), ("home", home.json), ("away", away.json), ("score", score ?? .null),
            ("winner", winner.map { .string($0.rawValue) } ?? .null),
        ])
    }
}
