import ComproContent
import ComproModel
import Testing

/// `content/tournaments/*.md`: matches checked by the sport's rules, each refusal naming the
/// file, the line and the field.
@Suite struct TournamentParsingTests {
    let parser = ItemParser(timeZone: .jakarta)
    let file = "uji/content/tournaments/piala.md"

    func tournament(format: String = "knockout", sport: String = "bulu-tangkis", matches: String) -> String {
        """
        ---
        name: Piala Uji
        sport: \(sport)
        format: \(format)
        starts_on: 2026-03-01
        ends_on: 2026-03-02
        matches:
        \(matches)
        ---
        """
    }

    func error(_ text: String) -> ContentError? {
        do {
            _ = try parser.parse(.tournament, text: text, file: file)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesMatchesInRoundOrder() throws {
        let text = tournament(
            matches: """
                  - {round: 2, position: 1, time: "2026-03-02 10:00", home: A, away: C}
                  - {round: 1, position: 2, time: "2026-03-01 10:00", home: C, away: D, score: "0-2", home_athlete: c-slug}
                  - {round: 1, position: 1, time: "2026-03-01 09:00", home: A, away: B, score: "2-1"}
                """)
        guard case .tournament(let parsed) = try parser.parse(.tournament, text: text, file: file) else {
            Issue.record("not a tournament")
            return
        }
        #expect(parsed.meta.slug == "piala" && parsed.format == .knockout && parsed.sport == "bulu-tangkis")
        #expect(parsed.matches.map { "\($0.round).\($0.position)" } == ["1.1", "1.2", "2.1"])
        #expect(parsed.matches[0].status == .completed && parsed.matches[2].status == .scheduled)
        #expect(parsed.athleteSlugs == ["c-slug"])
    }

    @Test func refusalsNameTheFieldAndLine() throws {
        // A draw in a knockout; badminton has no draws at all.
        let draw = try #require(error(tournament(matches: "  - {round: 1, position: 1, time: \"2026-03-01\", home: A, away: B, score: \"1-1\"}")))
        #expect(draw.location.file == file && draw.location.line == 8 && draw.reason.contains("'score'") && draw.reason.contains("winner"), "\(draw)")
        // More games than a best of three has.
        let games = try #require(error(tournament(matches: "  - {round: 1, position: 1, time: \"2026-03-01\", home: A, away: B, score: \"5-0\"}")))
        #expect(games.reason.contains("0 to 2"), "\(games)")
        let chess = try #require(
            error(tournament(format: "league", sport: "catur", matches: "  - {round: 1, position: 1, time: \"2026-03-01\", home: A, away: B, score: \"2-0\"}")))
        #expect(chess.reason.contains("1-0, 0-1, 1/2-1/2"), "\(chess)")
        let slot = try #require(
            error(
                tournament(
                    matches: """
                          - {round: 1, position: 1, time: "2026-03-01", home: A, away: B}
                          - {round: 1, position: 1, time: "2026-03-01", home: C, away: D}
                        """)))
        #expect(slot.location.line == 9 && slot.reason.contains("already has a match"), "\(slot)")
        let sport = try #require(error(tournament(sport: "atletik", matches: "  []")))
        #expect(sport.reason.contains("'sport'") && sport.reason.contains("not a sport with matches"), "\(sport)")
        let completed = try #require(error(tournament(matches: "  - {round: 1, position: 1, time: \"2026-03-01\", home: A, away: B, status: completed}")))
        #expect(completed.reason.contains("needs one"), "\(completed)")
        let athlete = try #require(error(tournament(matches: "  - {round: 1, position: 1, time: \"2026-03-01\", home: A, away: B, home_athlete: \"../etc\"}")))
        #expect(athlete.reason.contains("'home_athlete'"), "\(athlete)")
    }

    @Test func aMatchNamingAnUnpublishedAthleteIsRefusedWithTheSite() throws {
        let text = tournament(matches: "  - {round: 1, position: 1, time: \"2026-03-01\", home: A, home_athlete: hilang, away: B}")
        var assembler = SiteAssembler(tenant: TenantConfig(slug: "uji", name: "KONI Uji", domains: ["uji.koni.id"]))
        assembler.add(try parser.parse(.tournament, text: text, file: file))
        var collector = ErrorCollector()
        _ = assembler.finish(collector: &collector)
        #expect(collector.errors.contains { $0.reason.contains("athlete 'hilang'") }, "\(collector.errors)")
    }
}
