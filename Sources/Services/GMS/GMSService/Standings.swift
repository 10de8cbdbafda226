import KoniJSON
import KoniSports

/// A league table computed from a tournament's completed matches: played, won, drawn, lost,
/// scored, conceded and points by the sport's table; ordered by points, then difference, then
/// scored, then name (a tie the sport's own rules would break by head-to-head is left in name
/// order, and documented so).
struct Standings: Sendable {
    struct Row: Sendable, Equatable {
        var name: String
        var played = 0
        var won = 0
        var drawn = 0
        var lost = 0
        var scored = 0.0
        var conceded = 0.0
        /// League points, doubled where the sport gives halves (``MatchScoring/Table``).
        var points = 0
    }

    var rows: [Row]
    /// Whether the sport counts half points (chess), so points are shown halved.
    var halves: Bool

    init(matches: [MatchRecord], scoring: MatchScoring) {
        var table: [String: Row] = [:]
        var order: [String] = []
        func record(_ name: String, _ change: (inout Row) -> Void) {
            if table[name] == nil {
                table[name] = Row(name: name)
                order.append(name)
            }
            if var row = table[name] {
                change(&row)
                table[name] = row
            }
        }
        for match in matches where !match.home.name.isEmpty && !match.away.name.isEmpty {
            record(match.home.name) { _ in }
            record(match.away.name) { _ in }
            guard match.status == .completed, let score = match.score, let read = try? scoring.read(score, knockout: false) else { continue }
            for side in MatchSide.allCases {
                let own = side == .home ? read.home : read.away
                let other = side == .home ? read.away : read.home
                record(match.side(side).name) { row in
                    row.played += 1
                    row.scored += own
                    row.conceded += other
                    switch read.winner {
                    case nil: row.drawn += 1; row.points += scoring.table.draw
                    case side?: row.won += 1; row.points += scoring.table.win
                    default: row.lost += 1; row.points += scoring.table.loss
                    }
                }
            }
        }
        rows = order.compactMap { table[$0] }.sorted { left, right in
            if left.points != right.points { return left.points > right.points }
            let leftDifference = left.scored - left.conceded, rightDifference = right.scored - right.conceded
            if leftDifference != rightDifference { return leftDifference > rightDifference }
            if left.scored != right.scored { return left.scored > right.scored }
            return left.name < right.name
        }
        if case .chess = scoring.kind { halves = true } else { halves = false }
    }

    var json: JSONValue {
        .array(rows.enumerated().map { index, row in
            .object([
                ("rank", .number(Double(index + 1))), ("name", .string(row.name)), ("played", .number(Double(row.played))),
                ("won", .number(Double(row.won))), ("drawn", .number(Double(row.drawn))), ("lost", .number(Double(row.lost))),
                ("scored", .number(row.scored)), ("conceded", .number(row.conceded)),
                ("points", .number(halves ? Double(row.points) / 2 : Double(row.points))),
            ])
        })
    }
}
