import KoniJSON

/// The sports every KONI service knows: their codes (the Athlete service's `sports` table, GMS's
/// tournaments), the statistics an athlete of the sport has, and how a match of it is scored.
public enum SportCatalog {
    /// The standard sports, by code.
    public static let sports: [SportRules] = [
        SportRules(code: "atletik", name: "Atletik", fields: [.init(key: "races", maximum: 10000), .init(key: "medals", maximum: 1000)]),
        SportRules(
            code: "bola-basket", name: "Bola basket",
            fields: [
                .init(key: "appearances", maximum: 5000), .init(key: "points", maximum: 200_000), .init(key: "rebounds", maximum: 100_000),
            ]),
        SportRules(code: "bulu-tangkis", name: "Bulu tangkis", fields: [.init(key: "matches", maximum: 100_000), .init(key: "wins", maximum: 100_000)]),
        SportRules(
            code: "catur", name: "Catur",
            fields: [
                .init(key: "rating_elo", maximum: 4000), .init(key: "games", maximum: 100_000), .init(key: "wins", maximum: 100_000),
            ]),
        SportRules(code: "pencak-silat", name: "Pencak silat", fields: [.init(key: "bouts", maximum: 10000), .init(key: "wins", maximum: 10000)]),
        SportRules(
            code: "sepak-bola", name: "Sepak bola",
            fields: [
                .init(key: "appearances", maximum: 2000), .init(key: "goals", maximum: 5000), .init(key: "assists", maximum: 5000),
            ]),
    ]

    /// The rules of sport `code`, if it is one.
    public static func sport(_ code: String) -> SportRules? { sports.first { $0.code == code } }

    /// How a match of sport `code` is scored; nil for a sport without head-to-head matches
    /// (athletics is races and times, not home against away).
    public static func scoring(_ code: String) -> MatchScoring? {
        switch code {
        case "sepak-bola": MatchScoring(kind: .points(maximum: 99), draws: true, table: .init(win: 3, draw: 1, loss: 0))
        case "bola-basket": MatchScoring(kind: .points(maximum: 300), draws: false, table: .init(win: 2, draw: 0, loss: 1))
        // Games won in a best-of-three.
        case "bulu-tangkis": MatchScoring(kind: .points(maximum: 2), draws: false, table: .init(win: 1, draw: 0, loss: 0))
        case "pencak-silat": MatchScoring(kind: .points(maximum: 999), draws: false, table: .init(win: 1, draw: 0, loss: 0))
        case "catur": MatchScoring(kind: .chess, draws: true, table: .init(win: 2, draw: 1, loss: 0))
        default: nil
        }
    }
}

extension SportCatalog {
    /// What one played match adds to a one-on-one athlete's statistics by the sport's own keys
    /// (chess `games` and `wins`, badminton `matches` and `wins`, silat `bouts` and `wins`).
    public static func resultStats(_ code: String, won: Bool) -> [(key: String, value: JSONValue)] {
        guard let sport = sport(code) else { return [] }
        var stats: [(key: String, value: JSONValue)] = []
        for counted in ["games", "matches", "bouts", "appearances", "races"] where sport.fields.contains(where: { $0.key == counted }) {
            stats.append((counted, .number(1)))
        }
        if won, sport.fields.contains(where: { $0.key == "wins" }) { stats.append(("wins", .number(1))) }
        return stats
    }
}
