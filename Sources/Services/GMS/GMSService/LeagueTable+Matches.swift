import KoniJSON
import KoniSports

extension LeagueTable {
    /// The table of a tournament's matches (those not completed count as unplayed).
    init(matches: [MatchRecord], scoring: MatchScoring) {
        self.init(
            matches.map { match in
                let score = match.status == .completed ? match.score.flatMap { try? scoring.read($0, knockout: false) } : nil
                return Result(home: match.home.name, away: match.away.name, score: score)
            }, scoring: scoring)
    }

    var json: JSONValue {
        .array(
            rows.enumerated().map { index, row in
                .object([
                    ("rank", .number(Double(index + 1))), ("name", .string(row.name)), ("played", .number(Double(row.played))),
                    ("won", .number(Double(row.won))), ("drawn", .number(Double(row.drawn))), ("lost", .number(Double(row.lost))),
                    ("scored", .number(row.scored)), ("conceded", .number(row.conceded)), ("points", .number(points(row))),
                ])
            })
    }
}
