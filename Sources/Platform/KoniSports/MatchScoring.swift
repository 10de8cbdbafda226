import Foundation
import KoniJSON

/// One side of a head-to-head match.
public enum MatchSide: String, Sendable, CaseIterable {
    case home
    case away
}

/// A match's final score, read and checked by its sport's ``MatchScoring``.
public struct MatchScore: Sendable, Equatable {
    /// What each side scored (goals, points, games won; in chess the game points, ½ for a draw).
    public var home: Double
    public var away: Double
    /// The winner, nil for a draw.
    public var winner: MatchSide?
    /// The score as stored and published: `{"home": 3, "away": 1}` or `{"result": "1-0"}`.
    public var json: JSONValue

    /// The score as a page prints it: `3 – 1`, or in chess `1 – 0`, `½ – ½`.
    public var text: String {
        func number(_ value: Double) -> String { value == 0.5 ? "½" : String(Int(value)) }
        return "\(number(home)) – \(number(away))"
    }
}

/// How a sport's matches are scored and how results become league points.
public struct MatchScoring: Sendable {
    public enum Kind: Sendable {
        /// `{"home": n, "away": m}` with whole numbers up to `maximum` per side.
        case points(maximum: Int)
        /// `{"result": "1-0" | "0-1" | "1/2-1/2"}`.
        case chess
    }

    /// League points per result, doubled where a sport gives halves (chess: 2 per win, 1 per
    /// draw, shown as 1 and ½) so that standings add whole numbers.
    public struct Table: Sendable {
        public var win: Int
        public var draw: Int
        public var loss: Int
    }

    public var kind: Kind
    /// Whether a match may end level (never in a knockout round).
    public var draws: Bool
    public var table: Table

    /// Reads `score`; the error names the field and why. `knockout` refuses a draw: a knockout
    /// match needs a winner to go on.
    public func read(_ score: JSONValue, field: String = "score", knockout: Bool) throws(FieldError) -> MatchScore {
        guard case .object(let pairs) = score else { throw FieldError(field: field, reason: "an object") }
        let result: MatchScore
        switch kind {
        case .points(let maximum):
            guard pairs.count == 2 else { throw FieldError(field: field, reason: "exactly {\"home\": n, \"away\": m}") }
            func side(_ key: String) throws(FieldError) -> Double {
                guard case .number(let number)? = score[key], number.rounded() == number, number >= 0, number <= Double(maximum) else {
                    throw FieldError(field: "\(field).\(key)", reason: "a whole number from 0 to \(maximum)")
                }
                return number
            }
            let home = try side("home")
            let away = try side("away")
            let winner: MatchSide? = home == away ? nil : (home > away ? .home : .away)
            result = MatchScore(home: home, away: away, winner: winner, json: .object([("home", .number(home)), ("away", .number(away))]))
        case .chess:
            guard pairs.count == 1, case .string(let text)? = score["result"] else {
                throw FieldError(field: field, reason: "exactly {\"result\": \"1-0\" | \"0-1\" | \"1/2-1/2\"}")
            }
            switch text {
            case "1-0": result = MatchScore(home: 1, away: 0, winner: .home, json: score)
            case "0-1": result = MatchScore(home: 0, away: 1, winner: .away, json: score)
            case "1/2-1/2": result = MatchScore(home: 0.5, away: 0.5, winner: nil, json: score)
            default: throw FieldError(field: "\(field).result", reason: "one of 1-0, 0-1, 1/2-1/2")
            }
        }
        if result.winner == nil, !draws || knockout {
            throw FieldError(field: field, reason: knockout ? "a knockout match needs a winner" : "this sport has no draws")
        }
        return result
    }

    /// Reads a score as a person writes it: `2-1` (spaces allowed), in chess `1-0`, `0-1` or
    /// `1/2-1/2`; the error says what was expected.
    public func read(text: String, knockout: Bool) throws(FieldError) -> MatchScore {
        switch kind {
        case .chess:
            return try read(.object([("result", .string(text))]), knockout: knockout)
        case .points:
            let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts.allSatisfy({ (1...4).contains($0.count) }), let home = Int(parts[0]), let away = Int(parts[1]) else {
                throw FieldError(field: "score", reason: "two whole numbers like 2-1")
            }
            return try read(.object([("home", .number(Double(home))), ("away", .number(Double(away)))]), knockout: knockout)
        }
    }
}
