/// A league table from results: played, won, drawn, lost, scored, conceded and points by the
/// sport's table; ordered by points, then difference, then scored, then name (a tie the sport's
/// own rules would break head to head is left in name order). Shared by GMS's API and the
/// branch sites' tournament pages, so both show the same table.
public struct LeagueTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var name: String
        public var played = 0
        public var won = 0
        public var drawn = 0
        public var lost = 0
        public var scored = 0.0
        public var conceded = 0.0
        /// League points, doubled where the sport gives halves (``MatchScoring/Table``).
        public var doubledPoints = 0
    }

    /// One match as the table needs it: the sides' names and, once played, its score.
    public struct Result: Sendable {
        public var home: String
        public var away: String
        public var score: MatchScore?

        public init(home: String, away: String, score: MatchScore?) {
            self.home = home
            self.away = away
            self.score = score
        }
    }

    public var rows: [Row]
    /// Whether the sport counts half points (chess), so points are shown halved.
    public var halves: Bool

    public init(_ results: [Result], scoring: MatchScoring) {
        var table: [String: Row] = [:]
        var order: [String] = []
        func record(_ name: String, _ change: (inout Row) -> Void) {
            var row = table[name] ?? Row(name: name)
            if table[name] == nil { order.append(name) }
            change(&row)
            table[name] = row
        }
        for result in results where !result.home.isEmpty && !result.away.isEmpty {
            record(result.home) { _ in }
            record(result.away) { _ in }
            guard let score = result.score else { continue }
            for side in MatchSide.allCases {
                let own = side == .home ? score.home : score.away
                let other = side == .home ? score.away : score.home
                record(side == .home ? result.home : result.away) { row in
                    row.played += 1
                    row.scored += own
                    row.conceded += other
                    switch score.winner {
                    case nil: row.drawn += 1; row.doubledPoints += scoring.table.draw
                    case side?: row.won += 1; row.doubledPoints += scoring.table.win
                    default: row.lost += 1; row.doubledPoints += scoring.table.loss
                    }
                }
            }
        }
        rows = order.compactMap { table[$0] }.sorted { left, right in
            if left.doubledPoints != right.doubledPoints { return left.doubledPoints > right.doubledPoints }
            let leftDifference = left.scored - left.conceded, rightDifference = right.scored - right.conceded
            if leftDifference != rightDifference { return leftDifference > rightDifference }
            if left.scored != right.scored { return left.scored > right.scored }
            return left.name < right.name
        }
        if case .chess = scoring.kind { halves = true } else { halves = false }
    }

    /// The points a row shows: whole, or with a half (chess).
    public func points(_ row: Row) -> Double { halves ? Double(row.doubledPoints) / 2 : Double(row.doubledPoints) }
}

/// A knockout's rounds as Indonesian sites name them, and where a winner plays next.
public enum KnockoutRounds {
    /// "Final", "Semifinal", "Perempat final", then "Babak n".
    public static func name(round: Int, last: Int) -> String {
        switch last - round {
        case 0: "Final"
        case 1: "Semifinal"
        case 2: "Perempat final"
        default: "Babak \(round)"
        }
    }

    /// The winner of round r, slot p plays in round r+1, slot ⌈p/2⌉ (home when p is odd).
    public static func next(round: Int, position: Int) -> (round: Int, position: Int, home: Bool) {
        (round + 1, (position + 1) / 2, position % 2 == 1)
    }
}
