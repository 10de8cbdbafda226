/// A tournament a branch site shows at `/turnamen/<slug>/`: its matches by round and slot, from
/// which the page computes the league table or the knockout bracket. Kept in GMS; a folder
/// tenant may keep it in `content/tournaments/` (docs/content-format.md).
public struct Tournament: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable {
        case league
        case knockout
    }

    public var meta: ItemMetadata
    public var name: String
    /// The sport's code (`sepak-bola`, `catur`, …), one of the shared sport catalog.
    public var sport: String
    public var format: Format
    public var startsOn: SiteDate
    public var endsOn: SiteDate
    public var venue: String
    public var summary: String
    public var matches: [TournamentMatch]
    public var body: String

    public init(
        meta: ItemMetadata, name: String, sport: String, format: Format, startsOn: SiteDate, endsOn: SiteDate, venue: String = "", summary: String = "",
        matches: [TournamentMatch] = [], body: String = ""
    ) {
        self.meta = meta
        self.name = name
        self.sport = sport
        self.format = format
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.venue = venue
        self.summary = summary
        self.matches = matches
        self.body = body
    }

    /// The slugs of the athletes its matches name.
    public var athleteSlugs: Set<String> {
        Set(matches.flatMap { [$0.home.athlete, $0.away.athlete] }.compactMap { $0 })
    }
}

/// One match of a tournament, as its page and the athletes' pages show it.
public struct TournamentMatch: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case scheduled, live, completed, cancelled
    }

    /// A side: a team's or a player's name, and the athlete when the side is one of the branch's
    /// athletes (their page lists the match): by slug (the folder form) or by the Athlete
    /// service's id (GMS).
    public struct Side: Sendable, Hashable {
        public var name: String
        public var athlete: String?
        public var athleteID: String?

        public init(name: String, athlete: String? = nil, athleteID: String? = nil) {
            self.name = name
            self.athlete = athlete
            self.athleteID = athleteID
        }
    }

    public var round: Int
    public var position: Int
    public var time: SiteDate
    public var venue: String
    public var status: Status
    public var home: Side
    public var away: Side
    /// The score as written (`2-1`, `1/2-1/2`), checked by the sport's rules; empty until played.
    public var score: String
    /// The Athlete service's ids of the athletes who played (a team match's players, from GMS).
    public var players: [String]

    public init(
        round: Int, position: Int, time: SiteDate, venue: String = "", status: Status, home: Side, away: Side, score: String = "", players: [String] = []
    ) {
        self.players = players
        self.round = round
        self.position = position
        self.time = time
        self.venue = venue
        self.status = status
        self.home = home
        self.away = away
        self.score = score
    }
}
