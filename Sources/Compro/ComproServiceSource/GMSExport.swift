import ComproContent
import ComproModel
import KoniJSON
import KoniSports

/// GMS's export of a branch (`/api/v1/gms/public/{tenant}/export`) as site tournaments. The
/// answer comes from another service, so it is checked like any outside input: bounded counts
/// and lengths, slugs, dates, sports and scores by the shared rules; an answer that breaks them
/// fails the build or the change, naming the tournament and the field.
package enum GMSExport {
    package static let maximumTournaments = 500
    package static let maximumMatches = 5000

    package static func tournaments(_ body: JSONValue, source: String, timeZone: SiteTimeZone) throws(ContentErrors) -> [Tournament] {
        do throws(FieldError) {
            let fields = try JSONFields(body)
            let pages = try fields.objectList("tournaments")
            guard pages.count <= maximumTournaments else { throw fields.error("tournaments", "more than \(maximumTournaments)") }
            var result: [Tournament] = []
            var seen = Set<String>()
            for page in pages {
                let tournament = try self.tournament(page, source: source, offset: timeZone.offsetSeconds)
                guard seen.insert(tournament.meta.slug).inserted else { throw page.error("tournament.slug", "'\(tournament.meta.slug)' twice") }
                result.append(tournament)
            }
            result.sort(by: ContentOrder.tournament)
            return result
        } catch {
            throw ContentErrors([ContentError(file: source, "GMS's answer refused: \(error.description)")])
        }
    }

    static func tournament(_ page: JSONFields, source: String, offset: Int32) throws(FieldError) -> Tournament {
        guard let info = try page.object("tournament") else { throw page.error("tournament", "is required") }
        let slug = try info.slug("slug")
        let sport = try info.requiredString("sport")
        guard let scoring = SportCatalog.scoring(sport) else { throw info.error("sport", "'\(sport.prefix(40))' has no matches") }
        guard let format = Tournament.Format(rawValue: try info.requiredString("format")) else { throw info.error("format", "league or knockout") }
        let startsOn = try day(info, "starts_on", offset: offset), endsOn = try day(info, "ends_on", offset: offset)
        guard endsOn >= startsOn else { throw info.error("ends_on", "before starts_on") }
        let entries = try page.objectList("matches")
        guard entries.count <= maximumMatches else { throw page.error("matches", "more than \(maximumMatches)") }
        var matches: [TournamentMatch] = []
        var slots = Set<Int>()
        for entry in entries {
            let round = try entry.int("round", default: 1, range: 1...64)
            let position = try entry.int("position", default: 1, range: 1...4096)
            guard slots.insert(round * 10_000 + position).inserted else { throw entry.error("position", "round \(round) has two matches at \(position)") }
            // Shown in the branch's time zone, as a time written in its folder would be.
            guard let utc = SiteDate.parse(try entry.requiredString("scheduled_at"), defaultOffsetSeconds: 0), utc.hasTime else {
                throw entry.error("scheduled_at", "an RFC 3339 time")
            }
            let time = SiteDate(epochSeconds: utc.epochSeconds, offsetSeconds: offset, hasTime: true)
            guard let status = TournamentMatch.Status(rawValue: try entry.requiredString("status")) else { throw entry.error("status", "not a match status") }
            var score = ""
            if status == .completed, let value = entry.value("score"), value != .null {
                let read = try scoring.read(value, field: entry.field("score"), knockout: format == .knockout)
                score = scoreText(read, chess: { if case .chess = scoring.kind { true } else { false } }())
            }
            let players = try entry.stringList("participants")
            guard players.count <= 200, players.allSatisfy({ $0.utf8.count <= 64 && Slug.isValid($0) }) else {
                throw entry.error("participants", "at most 200 athlete ids")
            }
            matches.append(
                TournamentMatch(
                    round: round, position: position, time: time, venue: try entry.line("venue", limit: 200) ?? "",
                    status: status, home: try side(entry, "home"), away: try side(entry, "away"), score: score, players: players
                ))
        }
        matches.sort { ($0.round, $0.position) < ($1.round, $1.position) }
        let meta = ItemMetadata(slug: slug, source: "\(source)#\(slug)", revision: Digest.sha256Hex(JSONValue.object(page.pairs).jsonText))
        return Tournament(
            meta: meta, name: try info.line("name", limit: 200, required: true) ?? "", sport: sport, format: format, startsOn: startsOn, endsOn: endsOn,
            venue: try info.line("venue", limit: 200) ?? "", matches: matches
        )
    }

    /// The score as the folder form writes it, which the pages read back by the same rules.
    static func scoreText(_ score: MatchScore, chess: Bool) -> String {
        guard chess else { return "\(Int(score.home))-\(Int(score.away))" }
        switch score.winner {
        case .home?: return "1-0"
        case .away?: return "0-1"
        case nil: return "1/2-1/2"
        }
    }

    /// A side's name and, for an athlete, the Athlete service's id (the site links their page
    /// when the branch's athletes come from that service).
    static func side(_ entry: JSONFields, _ key: String) throws(FieldError) -> TournamentMatch.Side {
        guard let side = try entry.object(key) else { throw entry.error(key, "is required") }
        var athleteID: String?
        if let id = try side.string("athlete_id") {
            guard id.utf8.count <= 64, Slug.isValid(id) else { throw side.error("athlete_id", "an athlete id") }
            athleteID = id
        }
        return TournamentMatch.Side(name: try side.line("name", limit: 200) ?? "", athleteID: athleteID)
    }

    static func day(_ fields: JSONFields, _ key: String, offset: Int32) throws(FieldError) -> SiteDate {
        let text = try fields.requiredString(key)
        guard text.count == 10, let date = SiteDate.parse(text, defaultOffsetSeconds: offset) else { throw fields.error(key, "a date YYYY-MM-DD") }
        return date
    }
}
