import KoniJSON
import KoniSports
import Testing

/// How a match of each sport is scored and how a league table adds it up.
@Suite struct MatchScoringTests {
    static let football = SportCatalog.scoring("sepak-bola")!
    static let chess = SportCatalog.scoring("catur")!
    static let badminton = SportCatalog.scoring("bulu-tangkis")!

    @Test func aPointsScoreIsTwoWholeNumbersWithinTheSportsMaximum() throws {
        let score = try Self.football.read(.object([("home", .number(2)), ("away", .number(1))]), knockout: false)
        #expect(score.home == 2 && score.away == 1 && score.winner == .home)
        #expect(try Self.football.read(text: " 0 - 3 ", knockout: false).winner == .away)
        for (bad, field) in [
            (JSONValue.object([("home", .number(-1)), ("away", .number(0))]), "score.home"),
            (.object([("home", .number(1.5)), ("away", .number(0))]), "score.home"),
            (.object([("home", .number(100)), ("away", .number(0))]), "score.home"), (.object([("home", .number(1))]), "score"),
            (.object([("home", .number(1)), ("away", .string("2"))]), "score.away"), (.array([]), "score"),
        ] {
            #expect(throws: FieldError.self) { try Self.football.read(bad, knockout: false) }
            do { _ = try Self.football.read(bad, knockout: false) } catch { #expect(error.field == field, "\(bad): \(error)") }
        }
        for text in ["2-1-0", "-1-2", "99999-1", "a-b", "", "2:1"] {
            #expect(throws: FieldError.self, "\(text)") { try Self.football.read(text: text, knockout: false) }
        }
        #expect(throws: FieldError.self, "badminton is best of three") { try Self.badminton.read(text: "3-0", knockout: false) }
    }

    @Test func aDrawIsRefusedWhereTheSportOrTheRoundHasNone() throws {
        #expect(try Self.football.read(text: "1-1", knockout: false).winner == nil)
        #expect(throws: FieldError.self, "a knockout match needs a winner") { try Self.football.read(text: "1-1", knockout: true) }
        #expect(throws: FieldError.self, "badminton has no draws") { try Self.badminton.read(text: "1-1", knockout: false) }
        let draw = try Self.chess.read(text: "1/2-1/2", knockout: false)
        #expect(draw.home == 0.5 && draw.away == 0.5 && draw.winner == nil)
        #expect(throws: FieldError.self) { try Self.chess.read(text: "1/2-1/2", knockout: true) }
        #expect(throws: FieldError.self) { try Self.chess.read(text: "2-0", knockout: false) }
        #expect(SportCatalog.scoring("atletik") == nil, "races have no home and away")
    }

    @Test func aLeagueTableOrdersByPointsThenDifferenceThenGoalsThenName() throws {
        func result(_ home: String, _ away: String, _ score: String?) throws -> LeagueTable.Result {
            LeagueTable.Result(home: home, away: away, score: try score.map { try Self.football.read(text: $0, knockout: false) })
        }
        let table = LeagueTable(
            [
                try result("Surabaya", "Malang", "2-0"), try result("Kediri", "Blitar", "3-0"), try result("Malang", "Kediri", "1-1"),
                try result("Blitar", "Surabaya", "0-0"), try result("Madiun", "Blitar", nil),
            ], scoring: Self.football)
        #expect(table.rows.map(\.name) == ["Kediri", "Surabaya", "Malang", "Blitar", "Madiun"])
        let kediri = try #require(table.rows.first)
        #expect(kediri.played == 2 && kediri.won == 1 && kediri.drawn == 1 && table.points(kediri) == 4)
        #expect(table.rows.last?.played == 0, "a fixture without a score lists the team without counting it")

        let chess = LeagueTable(
            [LeagueTable.Result(home: "Ani", away: "Budi", score: try Self.chess.read(text: "1/2-1/2", knockout: false))], scoring: Self.chess)
        #expect(chess.rows.map { chess.points($0) } == [0.5, 0.5], "a draw is half a point each")
    }

    @Test func knockoutRoundsAreNamedFromTheFinalBackAndWinnersMoveUp() {
        #expect(KnockoutRounds.name(round: 4, last: 4) == "Final")
        #expect(KnockoutRounds.name(round: 3, last: 4) == "Semifinal")
        #expect(KnockoutRounds.name(round: 2, last: 4) == "Perempat final")
        #expect(KnockoutRounds.name(round: 1, last: 4) == "Babak 1")
        #expect(KnockoutRounds.next(round: 1, position: 3) == (2, 2, true))
        #expect(KnockoutRounds.next(round: 1, position: 4) == (2, 2, false))
    }

    @Test func aOneOnOneResultAddsTheSportsOwnStatistics() {
        #expect(SportCatalog.resultStats("catur", won: true).map(\.key) == ["games", "wins"])
        #expect(SportCatalog.resultStats("bulu-tangkis", won: false).map(\.key) == ["matches"])
        #expect(SportCatalog.resultStats("tidak-ada", won: true).isEmpty)
    }
}
