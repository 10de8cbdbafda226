import ComproModel
import KoniSports

/// `/turnamen/`, `/turnamen/<slug>/` (schedule, results, and the league table or the knockout
/// bracket computed from the results), the matches on an athlete's page and the latest results
/// on a page.
extension PageBuilder {
    func tournamentsListData() -> (String, PageInfo, [String: Any]) {
        let items = run(.tournaments).compactMap { id in id.hasPrefix("tournament/") ? index.tournamentsBySlug[String(id.dropFirst(11))] : nil }
        var info = PageInfo(heading: strings["tournaments"], description: "")
        info.breadcrumbs = [(strings["tournaments"], "/turnamen/")]
        return ("pages.tournaments-list", info, ["items": items.map(tournamentCard), "empty": items.isEmpty])
    }

    func tournamentData(_ slug: String) throws(RenderError) -> (String, PageInfo, [String: Any]) {
        guard let tournament = read(.tournament, slug, from: index.tournamentsBySlug) else { throw missing(.tournament, slug) }
        var info = PageInfo(heading: tournament.name, description: tournament.summary)
        info.breadcrumbs = [(strings["tournaments"], "/turnamen/"), (tournament.name, spec.urlPath)]
        var data = tournamentCard(tournament)
        data["html"] = markdown(tournament.body)
        let last = tournament.matches.map(\.round).max() ?? 0
        var rounds: [[String: Any]] = []
        for round in Set(tournament.matches.map(\.round)).sorted() {
            rounds.append([
                "name": roundName(round, last: last, format: tournament.format),
                "matches": tournament.matches.filter { $0.round == round }.map { matchData($0, of: tournament) },
            ])
        }
        data["rounds"] = rounds
        data["has_matches"] = !rounds.isEmpty
        if tournament.format == .league, let scoring = SportCatalog.scoring(tournament.sport) {
            let table = LeagueTable(
                tournament.matches.map { match in
                    LeagueTable.Result(home: match.home.name, away: match.away.name, score: score(match, of: tournament))
                }, scoring: scoring)
            data["standings"] = table.rows.enumerated().map { position, row -> [String: Any] in
                [
                    "rank": position + 1, "name": row.name, "played": row.played, "won": row.won, "drawn": row.drawn, "lost": row.lost,
                    "scored": Self.number(row.scored), "conceded": Self.number(row.conceded), "difference": Self.signed(row.scored - row.conceded),
                    "points": Self.number(table.points(row)),
                ]
            }
            data["has_standings"] = !table.rows.isEmpty
        } else {
            data["bracket"] = rounds
            data["has_bracket"] = !rounds.isEmpty
        }
        return ("pages.tournament", info, ["tournament": data])
    }

    /// The matches the branch's tournaments list for one athlete, the latest first.
    func athleteMatches(_ slug: String) -> [[String: Any]] {
        matchFacts(run(.athleteMatches(slug)))
    }

    /// The latest completed matches, the newest first.
    func latestResults(limit: Int) -> [[String: Any]] {
        matchFacts(run(.latestResults(limit: limit)))
    }

    private func matchFacts(_ answer: [String]) -> [[String: Any]] {
        answer.compactMap { fact -> [String: Any]? in
            guard fact.hasPrefix("#match=") else { return nil }
            let parts = fact.dropFirst(7).split(separator: ":").map(String.init)
            guard parts.count == 3, let round = Int(parts[1]), let position = Int(parts[2]),
                let tournament = read(.tournament, parts[0], from: index.tournamentsBySlug),
                let match = tournament.matches.first(where: { $0.round == round && $0.position == position })
            else { return nil }
            var data = matchData(match, of: tournament)
            data["tournament"] = ["name": tournament.name, "url": OutputSpec.tournament(tournament.meta.slug).urlPath]
            let last = tournament.matches.map(\.round).max() ?? 0
            data["round_name"] = roundName(round, last: last, format: tournament.format)
            return data
        }
    }

    func tournamentCard(_ tournament: Tournament) -> [String: Any] {
        [
            "name": tournament.name, "url": OutputSpec.tournament(tournament.meta.slug).urlPath,
            "sport": SportCatalog.sport(tournament.sport)?.name ?? tournament.sport, "format": strings[tournament.format.rawValue],
            "date_text": strings.dateRange(tournament.startsOn, tournament.endsOn), "start_iso": tournament.startsOn.htmlDateTime,
            "venue": tournament.venue, "summary": tournament.summary,
        ]
    }

    private func matchData(_ match: TournamentMatch, of tournament: Tournament) -> [String: Any] {
        let read = score(match, of: tournament)
        func side(_ side: TournamentMatch.Side, _ which: MatchSide) -> [String: Any] {
            let slug = athleteSlug(side)
            return [
                "name": side.name, "url": slug.map { OutputSpec.athlete($0).urlPath } ?? "", "linked": slug != nil,
                "winner": read?.winner == which,
            ]
        }
        // `tournament` and `round_name` are set (to false) so that a match on a tournament's own
        // page does not pick up the page's tournament through Mustache's context lookup.
        return [
            "tournament": false, "round_name": false,
            "home": side(match.home, .home), "away": side(match.away, .away), "score": read?.text ?? "", "played": read != nil,
            "status": strings["match_\(match.status.rawValue)"], "time_iso": match.time.htmlDateTime,
            "time_text": strings.date(match.time) + (match.time.hasTime ? ", " + strings.timeRange(match.time, nil, zone: tenant.timeZone) : ""),
            "venue": match.venue.isEmpty ? tournament.venue : match.venue,
        ]
    }

    /// The athlete page a side links: its slug (the folder form), or the page of the athlete the
    /// Athlete service knows by the side's id (GMS), looked up through a recorded query so that an
    /// athlete who appears or goes later changes the link.
    private func athleteSlug(_ side: TournamentMatch.Side) -> String? {
        if let slug = side.athlete { return slug }
        guard let id = side.athleteID else { return nil }
        if !ranAthleteLinks {
            _ = run(.athleteLinks)
            ranAthleteLinks = true
        }
        return index.athleteSlugByExternalID[id]
    }

    /// A completed match's score read by its sport's rules (checked when the content was loaded).
    private func score(_ match: TournamentMatch, of tournament: Tournament) -> MatchScore? {
        guard match.status == .completed, !match.score.isEmpty, let scoring = SportCatalog.scoring(tournament.sport) else { return nil }
        return try? scoring.read(text: match.score, knockout: tournament.format == .knockout)
    }

    private func roundName(_ round: Int, last: Int, format: Tournament.Format) -> String {
        format == .knockout ? KnockoutRounds.name(round: round, last: last) : "\(strings["round"]) \(round)"
    }

    private static func number(_ value: Double) -> String {
        if value == value.rounded() { return String(Int(value)) }
        return value == 0.5 ? "½" : "\(Int(value))½"
    }

    private static func signed(_ value: Double) -> String { value > 0 ? "+" + number(value) : value < 0 ? "−" + number(-value) : "0" }
}
