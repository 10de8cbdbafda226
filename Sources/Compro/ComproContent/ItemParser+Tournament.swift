import ComproModel
import KoniSports

extension ItemParser {
    /// The most matches one tournament file may list.
    static let maxMatches = 2000

    /// `content/tournaments/<slug>.md`: the tournament and its matches, each score checked by the
    /// sport's rules (the same `KoniSports` rules GMS keeps results by).
    func tournament(_ yaml: YAMLObject, _ meta: ItemMetadata, _ body: String, offset: Int32) throws(ContentError) -> Tournament {
        try yaml.checkKeys(["name", "sport", "format", "starts_on", "ends_on", "venue", "summary", "matches", "slug", "draft"])
        let sport = try yaml.requiredString("sport")
        guard SportCatalog.sport(sport) != nil, let scoring = SportCatalog.scoring(sport) else {
            let known = SportCatalog.sports.filter { SportCatalog.scoring($0.code) != nil }.map(\.code)
            throw yaml.error("sport", "'\(sport)' is not a sport with matches; known: \(known.joined(separator: ", "))")
        }
        guard let format = Tournament.Format(rawValue: try yaml.requiredString("format")) else { throw yaml.error("format", "league or knockout") }
        let startsOn = try yaml.requiredDate("starts_on", offsetSeconds: offset)
        let endsOn = try yaml.requiredDate("ends_on", offsetSeconds: offset)
        if endsOn < startsOn { throw yaml.error("ends_on", "the tournament ends before it starts") }
        let entries = try yaml.objectList("matches")
        if entries.count > Self.maxMatches { throw yaml.error("matches", "\(entries.count) matches; at most \(Self.maxMatches)") }
        var matches: [TournamentMatch] = []
        var slots = Set<Int>()
        for entry in entries {
            try entry.checkKeys(["round", "position", "time", "venue", "status", "home", "away", "home_athlete", "away_athlete", "score"])
            let round = try entry.int("round", default: 1, range: 1...64)
            guard let position = try entry.int("position") else { throw ContentError(entry.location, "missing required field 'position'") }
            guard (1...4096).contains(position) else { throw entry.error("position", "must be between 1 and 4096, found \(position)") }
            guard slots.insert(round * 10_000 + position).inserted else { throw entry.error("position", "round \(round) already has a match at \(position)") }
            let home = TournamentMatch.Side(name: try entry.requiredString("home"), athlete: try athlete(entry, "home_athlete"))
            let away = TournamentMatch.Side(name: try entry.requiredString("away"), athlete: try athlete(entry, "away_athlete"))
            var status = TournamentMatch.Status.scheduled
            if let text = try entry.string("status") {
                guard let given = TournamentMatch.Status(rawValue: text) else { throw entry.error("status", "scheduled, live, completed or cancelled") }
                status = given
            }
            var score = ""
            if let text = try entry.string("score") {
                do { _ = try scoring.read(text: text, knockout: format == .knockout) } catch {
                    throw entry.error("score", "'\(text)': \(error.reason)")
                }
                score = text
                if status == .scheduled { status = .completed }
                guard status == .completed else { throw entry.error("score", "only a completed match has a score") }
            } else if status == .completed {
                throw entry.error("score", "a completed match needs one (2-1; in chess 1-0, 0-1 or 1/2-1/2)")
            }
            matches.append(
                TournamentMatch(
                    round: round, position: position, time: try entry.requiredDate("time", offsetSeconds: offset),
                    venue: try entry.string("venue", default: ""),
                    status: status, home: home, away: away, score: score
                ))
        }
        matches.sort { ($0.round, $0.position) < ($1.round, $1.position) }
        return Tournament(
            meta: meta, name: try yaml.requiredString("name"), sport: sport, format: format, startsOn: startsOn, endsOn: endsOn,
            venue: try yaml.string("venue", default: ""), summary: try yaml.string("summary", default: ""), matches: matches, body: body
        )
    }

    private func athlete(_ entry: YAMLObject, _ key: String) throws(ContentError) -> String? {
        guard let slug = try entry.string(key) else { return nil }
        if let problem = Slug.problem(with: slug) { throw entry.error(key, problem) }
        return slug
    }
}
