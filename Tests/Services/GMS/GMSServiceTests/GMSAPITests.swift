import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Logging
import Testing

@testable import GMSService

/// GMS against real PostgreSQL: who may keep tournaments, results that complete a match once,
/// standings and a knockout bracket computed from results, what the public pages show.
@Suite struct GMSAPITests {
    @Test func aLeagueKeepsItsResultsOnceAndRanksTheTable() async throws {
        let test = try await GMSTestApp()
        let publisher = RecordingPublisher()
        try await test.application(publisher: publisher).test(.router) { client in
            let admin = GMSTestApp.gameAdmin
            let cabang = try TestKeys.token(roles: ["admin-cabang"], tenantID: GMSTestApp.jatim)
            #expect(try await client.jsonRequest(.post, "/api/v1/gms/jatim/tournaments", json: GMSTestApp.tournament("liga"), token: cabang).status == 403)
            #expect(try await client.jsonRequest(.post, "/api/v1/gms/jatim/tournaments", json: GMSTestApp.tournament("liga"), token: nil).status == 401)
            for (field, value) in [
                ("sport", JSONValue.string("atletik")), ("format", .string("swiss")), ("ends_on", .string("2026-11-01")), ("starts_on", .string("2026-02-30")),
            ] {
                var body = GMSTestApp.tournament("salah")
                if case .object(var pairs) = body, let index = pairs.firstIndex(where: { $0.key == field }) {
                    pairs[index].value = value
                    body = .object(pairs)
                }
                let refused = try await client.jsonRequest(.post, "/api/v1/gms/jatim/tournaments", json: body, token: admin)
                #expect(refused.status == 422 && refused.json["error"]?["field"]?.text == field, "\(field): \(refused.text)")
            }
            let created = try await client.jsonRequest(.post, "/api/v1/gms/jatim/tournaments", json: GMSTestApp.tournament("liga"), token: admin)
            #expect(created.status == 201, "\(created.text)")
            #expect(try await client.jsonRequest(.post, "/api/v1/gms/jatim/tournaments", json: GMSTestApp.tournament("liga"), token: admin).status == 409)
            let tournamentID = try #require(created.json["id"]?.text)

            // A round robin of three clubs.
            var ids: [String] = []
            for (position, pair) in [("Persebaya", "Arema"), ("Arema", "Persela"), ("Persela", "Persebaya")].enumerated() {
                let match = try await client.jsonRequest(
                    .post, "/api/v1/gms/jatim/tournaments/\(tournamentID)/matches",
                    json: GMSTestApp.match(round: 1, position: position + 1, home: pair.0, away: pair.1), token: admin
                )
                #expect(match.status == 201, "\(match.text)")
                ids.append(try #require(match.json["id"]?.text))
            }
            let taken = try await client.jsonRequest(
                .post, "/api/v1/gms/jatim/tournaments/\(tournamentID)/matches", json: GMSTestApp.match(round: 1, position: 1, home: "A", away: "B"),
                token: admin)
            #expect(taken.status == 409)

            let negative = try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(ids[0])/result", json: GMSTestApp.score(-1, 0), token: admin)
            #expect(negative.status == 422 && negative.json["error"]?["field"]?.text == "score.home", "\(negative.text)")
            let chessStat = JSONValue.object([
                ("score", .object([("home", .number(2)), ("away", .number(1))])),
                (
                    "participants",
                    .array([.object([("athlete_id", .string(UUID().uuidString)), ("side", .string("home")), ("stats", .object([("rating_elo", .number(5))]))])])
                ),
            ])
            let wrongStat = try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(ids[0])/result", json: chessStat, token: admin)
            #expect(wrongStat.status == 422 && wrongStat.json["error"]?["field"]?.text?.hasPrefix("participants") == true, "\(wrongStat.text)")

            #expect(try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(ids[0])/result", json: GMSTestApp.score(2, 1), token: admin).status == 200)
            #expect(try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(ids[0])/result", json: GMSTestApp.score(2, 1), token: admin).status == 200)
            let changed = try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(ids[0])/result", json: GMSTestApp.score(3, 1), token: admin)
            #expect(changed.status == 409 && changed.json["error"]?["code"]?.text == "match_completed")
            #expect(try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(ids[1])/result", json: GMSTestApp.score(1, 1), token: admin).status == 200)
            #expect(try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(ids[2])/result", json: GMSTestApp.score(0, 0), token: admin).status == 200)
            // Another branch's id is not found, whoever asks.
            #expect(try await client.jsonRequest(.post, "/api/v1/gms/jabar/matches/\(ids[2])/result", json: GMSTestApp.score(0, 0), token: admin).status == 404)

            let page = try await client.jsonRequest(.get, "/api/v1/gms/public/jatim/tournaments/liga", token: nil)
            #expect(page.status == 200)
            let table = page.json["standings"]?.list ?? []
            // Persebaya: W 2-1, D 0-0 → 4 points; Persela: D 1-1, D 0-0 → 2; Arema: L 1-2, D 1-1 → 1.
            #expect(table.map { $0["name"]?.text ?? "" } == ["Persebaya", "Persela", "Arema"], "\(page.text)")
            #expect(table.map { $0["points"]?.int ?? -1 } == [4, 2, 1])
            #expect(table.first?["played"]?.int == 2 && table.first?["won"]?.int == 1 && table.first?["drawn"]?.int == 1)
            #expect(page.json["matches"]?.list.count == 3 && page.json["bracket"] == nil)
            let list = try await client.jsonRequest(.get, "/api/v1/gms/public/jatim/tournaments", token: nil)
            #expect(list.json["items"]?.list.first?["slug"]?.text == "liga" && list.json["items"]?.list.first?["id"] == nil)
        }
        try await eventually("events published") { publisher.recorded.filter { $0.type == "match.completed" }.count >= 3 }
        try await Task.sleep(for: .milliseconds(300))
        #expect(publisher.recorded.filter { $0.type == "match.completed" }.count == 3, "a result sent twice is announced once")
        #expect(publisher.recorded.filter { $0.type == "tournament.created" }.count == 1)
    }

    @Test func aKnockoutAdvancesItsWinnersAndCountsOneOnOneAthletes() async throws {
        let test = try await GMSTestApp()
        let publisher = RecordingPublisher()
        try await test.application(publisher: publisher).test(.router) { client in
            let admin = GMSTestApp.gameAdmin
            let created = try await client.jsonRequest(
                .post, "/api/v1/gms/jatim/tournaments", json: GMSTestApp.tournament("piala", sport: "bulu-tangkis", format: "knockout"), token: admin)
            let tournamentID = try #require(created.json["id"]?.text)
            let players = (0..<4).map { _ in UUID().uuidString.lowercased() }
            let names = ["Anthony Ginting", "Jonatan Christie", "Chico Wardoyo", "Alwi Farhan"]
            var semis: [String] = []
            for position in 1...2 {
                let home = (position - 1) * 2, away = home + 1
                let match = try await client.jsonRequest(
                    .post, "/api/v1/gms/jatim/tournaments/\(tournamentID)/matches",
                    json: GMSTestApp.match(
                        round: 1, position: position, home: names[home], away: names[away], homeAthlete: players[home], awayAthlete: players[away]),
                    token: admin
                )
                semis.append(try #require(match.json["id"]?.text, "\(match.text)"))
            }
            let final = try await client.jsonRequest(
                .post, "/api/v1/gms/jatim/tournaments/\(tournamentID)/matches", json: GMSTestApp.match(round: 2, position: 1, home: nil, away: nil),
                token: admin)
            let finalID = try #require(final.json["id"]?.text)
            let early = try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(finalID)/result", json: GMSTestApp.score(2, 0), token: admin)
            #expect(early.status == 409 && early.json["error"]?["code"]?.text == "sides_unknown")

            let level = try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(semis[0])/result", json: GMSTestApp.score(1, 1), token: admin)
            #expect(level.status == 422 && level.json["error"]?["message"]?.text?.contains("winner") == true, "\(level.text)")
            #expect(
                try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(semis[0])/result", json: GMSTestApp.score(2, 1), token: admin).status == 200)
            #expect(
                try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(semis[1])/result", json: GMSTestApp.score(0, 2), token: admin).status == 200)
            #expect(
                try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(finalID)/result", json: GMSTestApp.score(2, 0), token: admin).status == 200)

            let page = try await client.jsonRequest(.get, "/api/v1/gms/public/jatim/tournaments/piala", token: nil)
            let rounds = page.json["bracket"]?.list ?? []
            #expect(rounds.map { $0["name"]?.text ?? "" } == ["Semifinal", "Final"], "\(page.text)")
            let finalMatch = rounds.last?["matches"]?.list.first
            #expect(finalMatch?["home"]?["name"]?.text == "Anthony Ginting" && finalMatch?["away"]?["name"]?.text == "Alwi Farhan")
            #expect(finalMatch?["winner"]?.text == "home" && page.json["standings"] == nil)

            let champion = try await client.jsonRequest(.get, "/api/v1/gms/public/jatim/athletes/\(players[0])/matches", token: nil)
            #expect(champion.json["items"]?.list.count == 2 && champion.json["items"]?.list.first?["tournament"]?["slug"]?.text == "piala", "\(champion.text)")
        }
        try await eventually("three results announced") { publisher.recorded.filter { $0.type == "match.completed" }.count == 3 }
        // The final's event names both finalists with a played match each and a win for the champion.
        let finalEvent = try #require(publisher.recorded.filter { $0.type == "match.completed" }.last)
        let participants = try JSONValue.parse(finalEvent.body)["data"]?["participants"]?.list ?? []
        let stats = Dictionary(uniqueKeysWithValues: participants.compactMap { entry in entry["side"]?.text.map { ($0, entry["stats"] ?? .null) } })
        #expect(stats["home"]?["matches"]?.int == 1 && stats["home"]?["wins"]?.int == 1 && stats["away"]?["wins"] == nil, "\(participants)")
    }

    @Test func theDocumentNamesEveryRouteAndNoOther() async throws {
        let logger = Logger(label: "openapi-test")
        let api = GMSAPI(database: try Database(url: "postgres://nobody@127.0.0.1:1/none", logger: logger), store: GMSStore(logger: logger), relay: nil)
        let router = Router(context: KoniRequestContext.self)
        api.register(on: router, verifier: try await JWTVerifier(publicKeyPEM: TestKeys.publicKeyPEM, expectations: .init()))
        let (undocumented, imaginary) = OpenAPIRoutes.differences(
            served: router.routes.map { "\($0.method.rawValue) \($0.path)" }, document: GMSOpenAPI.served, ignoring: ["GET /api/v1/gms/openapi.json"]
        )
        #expect(undocumented.isEmpty && imaginary.isEmpty, "\(undocumented) \(imaginary)")
    }
}
