import ComproModel
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KoniAMQP
import KoniEvents
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniSports
import KoniTestSupport
import Logging
import NIOCore
import Testing

@testable import AthleteService

/// The Athlete service against real PostgreSQL (pg_trgm): registration, typo-tolerant search,
/// who may change which athlete, what a public page shows, match statistics counted once.
@Suite struct AthleteAPITests {
    static let jatim = BranchID.derived(slug: "jatim")

    struct App {
        var configuration: AthleteConfiguration
        init() async throws {
            configuration = AthleteConfiguration(
                databaseURL: try await TestServers.makeDatabase(prefix: "athlete_test"), tokenKeys: .publicKeyPEM(TestKeys.publicKeyPEM),
                amqpURL: try TestServers.amqpURL
            )
            configuration.port = 0
        }
        var logger: Logger {
            var logger = Logger(label: "athlete-test") { _ in JSONLogHandler(label: "athlete-test", level: .error) }
            logger.logLevel = .error
            return logger
        }
        func application(publisher: RecordingPublisher = RecordingPublisher()) async throws -> some ApplicationProtocol {
            // "Today" is fixed (2026-11-30) so that who is a minor does not change with the calendar.
            try await AthleteServer.makeApplication(
                configuration: configuration, publisher: publisher, amqp: nil, logger: logger, now: { Date(timeIntervalSince1970: 1_796_000_000) }
            )
        }
    }

    static func athlete(
        _ slug: String, _ name: String, born: String = "1998-04-02", sport: String = "sepak-bola", extra: [(key: String, value: JSONValue)] = []
    ) -> JSONValue {
        .object(
            [
                ("slug", .string(slug)), ("full_name", .string(name)), ("birth_date", .string(born)), ("gender", .string("L")), ("sport", .string(sport)),
                ("phone", .string("+62 812 3456 7890")), ("address", .string("Jl. Pahlawan 1, Surabaya")), ("club", .string("Persebaya")),
            ] + extra)
    }

    @Test func searchForgivesTyposAndPublicPagesShowOnlyTheirFields() async throws {
        let test = try await App()
        let publisher = RecordingPublisher()
        try await test.application(publisher: publisher).test(.router) { client in
            let admin = try TestKeys.token(roles: ["admin-cabang"], tenantID: Self.jatim)
            for (slug, name) in [
                ("muhammad-alif", "Muhammad Alif"), ("alif-rahman", "Alif Rahman"), ("budi-santoso", "Budi Santoso"), ("siti-aminah", "Siti Aminah"),
            ] {
                let created = try await client.jsonRequest(.post, "/api/v1/athletes/jatim/athletes", json: Self.athlete(slug, name), token: admin)
                #expect(created.status == 201, "\(created.json.jsonText)")
            }
            let found = try await client.jsonRequest(.get, "/api/v1/athletes/jatim/athletes?q=Muhamad%20Alif", token: admin)
            let first = found.json["items"].flatMap { if case .array(let items) = $0 { items.first } else { nil } }
            #expect(first?["full_name"] == .string("Muhammad Alif"), "\(found.json.jsonText)")
            #expect(!(found.json["items"].map { "\($0)" } ?? "").contains("Siti"))
            let other = try TestKeys.token(roles: ["admin-cabang"], tenantID: BranchID.derived(slug: "jabar"))
            #expect(try await client.jsonRequest(.get, "/api/v1/athletes/jatim/athletes?q=Alif", token: other).status == 403)
            #expect(try await client.jsonRequest(.post, "/api/v1/athletes/jatim/athletes", json: Self.athlete("x", "X"), token: other).status == 403)

            let page = try await client.jsonRequest(.get, "/api/v1/athletes/public/jatim/athletes/muhammad-alif", token: nil)
            #expect(page.status == 200 && page.json["name"] == .string("Muhammad Alif"))
            for hidden in ["birth_date", "phone", "address", "user_id", "guardian_user_id"] { #expect(page.json[hidden] == nil, "\(hidden) is public") }
            // A minor: the first name and initials only, no photo, no statistics.
            _ = try await client.jsonRequest(
                .post, "/api/v1/athletes/jatim/athletes", json: Self.athlete("dewi-lestari", "Dewi Kartika Lestari", born: "2012-06-01"), token: admin)
            let minor = try await client.jsonRequest(.get, "/api/v1/athletes/public/jatim/athletes/dewi-lestari", token: nil)
            #expect(minor.json["name"] == .string("Dewi K. L.") && minor.json["minor"] == .bool(true) && minor.json["stats"] == nil, "\(minor.json.jsonText)")
        }
        try await eventually("athlete.registered published") { publisher.recorded.filter { $0.type == "athlete.registered" }.count == 5 }
    }

    @Test func eachRoleChangesOnlyWhatItMay() async throws {
        let test = try await App()
        try await test.application().test(.router) { client in
            let admin = try TestKeys.token(roles: ["admin-cabang"], tenantID: Self.jatim)
            let team = try await client.jsonRequest(
                .post, "/api/v1/athletes/jatim/teams",
                json: .object([
                    ("slug", .string("persebaya-u17")), ("name", .string("Persebaya U-17")), ("sport", .string("sepak-bola")),
                    ("officials", .array([.string("coach-1")])),
                ]), token: admin)
            #expect(team.status == 201, "\(team.json.jsonText)")
            let teamID = try #require(team.json["id"].flatMap { if case .string(let text) = $0 { text } else { nil } })
            let minor = try await client.jsonRequest(
                .post, "/api/v1/athletes/jatim/athletes",
                json: Self.athlete(
                    "rizki", "Rizki Pratama", born: "2011-01-01",
                    extra: [
                        ("guardian_user_id", .string("parent-1")), ("user_id", .string("rizki-1")), ("team_id", .string(teamID)),
                    ]), token: admin)
            let adult = try await client.jsonRequest(
                .post, "/api/v1/athletes/jatim/athletes", json: Self.athlete("agus", "Agus Salim", extra: [("guardian_user_id", .string("parent-1"))]),
                token: admin)
            let minorID = try #require(minor.json["id"].flatMap { if case .string(let text) = $0 { text } else { nil } })
            let adultID = try #require(adult.json["id"].flatMap { if case .string(let text) = $0 { text } else { nil } })

            let guardian = try TestKeys.token(roles: ["guardian"], tenantID: Self.jatim, subject: "parent-1")
            let change = JSONValue.object([("phone", .string("0811111")), ("version", .number(1))])
            #expect(try await client.jsonRequest(.patch, "/api/v1/athletes/jatim/athletes/\(minorID)", json: change, token: guardian).status == 200)
            #expect(
                try await client.jsonRequest(.patch, "/api/v1/athletes/jatim/athletes/\(adultID)", json: change, token: guardian).status == 404, "not a minor")
            let statsByGuardian = try await client.jsonRequest(
                .patch, "/api/v1/athletes/jatim/athletes/\(minorID)", json: .object([("stats", .object([("goals", .number(99))])), ("version", .number(2))]),
                token: guardian)
            #expect(statsByGuardian.status == 422 && statsByGuardian.json["error"]?["field"] == .string("stats"))

            let coach = try TestKeys.token(roles: ["official-team"], tenantID: Self.jatim, subject: "coach-1")
            let goals = try await client.jsonRequest(
                .patch, "/api/v1/athletes/jatim/athletes/\(minorID)", json: .object([("stats", .object([("goals", .number(3))])), ("version", .number(2))]),
                token: coach)
            #expect(goals.status == 200 && goals.json["stats"]?["goals"] == .number(3), "\(goals.json.jsonText)")
            #expect(
                try await client.jsonRequest(
                    .patch, "/api/v1/athletes/jatim/athletes/\(adultID)", json: .object([("club", .string("x")), ("version", .number(1))]), token: coach
                ).status == 404, "not their team")
            let badStat = try await client.jsonRequest(
                .patch, "/api/v1/athletes/jatim/athletes/\(minorID)",
                json: .object([("stats", .object([("rating_elo", .number(2100))])), ("version", .number(3))]), token: coach)
            #expect(badStat.status == 422 && badStat.json["error"]?["field"] == .string("stats.rating_elo"), "chess statistics on a footballer")

            let player = try TestKeys.token(roles: ["player"], tenantID: Self.jatim, subject: "rizki-1")
            #expect(
                try await client.jsonRequest(
                    .patch, "/api/v1/athletes/jatim/athletes/\(minorID)", json: .object([("club", .string("Persebaya Junior")), ("version", .number(3))]),
                    token: player
                ).status == 200)
            let rename = try await client.jsonRequest(
                .patch, "/api/v1/athletes/jatim/athletes/\(minorID)", json: .object([("full_name", .string("Orang Lain")), ("version", .number(4))]),
                token: player)
            #expect(rename.status == 422 && rename.json["error"]?["field"] == .string("full_name"), "a player does not rename themself")
            #expect(
                try await client.jsonRequest(
                    .patch, "/api/v1/athletes/jatim/athletes/\(minorID)", json: .object([("club", .string("x")), ("version", .number(1))]), token: player
                ).status == 412)
        }
    }

    @Test func aMatchCountsIntoStatisticsOnceHoweverOftenItArrives() async throws {
        let test = try await App()
        let logger = test.logger
        try await test.application().test(.router) { client in
            let admin = try TestKeys.token(roles: ["admin-cabang"], tenantID: Self.jatim)
            let created = try await client.jsonRequest(
                .post, "/api/v1/athletes/jatim/athletes", json: Self.athlete("andik", "Andik Vermansah", extra: [("stats", .object([("goals", .number(10))]))]),
                token: admin)
            let id = try #require(created.json["id"].flatMap { if case .string(let text) = $0 { text } else { nil } })
            let database = try Database(url: test.configuration.databaseURL, logger: logger)
            let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "athlete-tests"), logger: logger)
            let consumer = InboxConsumer(
                queue: "athlete-test", bindings: [.matchCompleted], connection: amqp, database: database, exchange: "athlete-test", logger: logger,
                handler: MatchCompletedHandler(store: AthleteStore(logger: logger), logger: logger).handle
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await database.client.run() }
                func completed(_ stats: [(key: String, value: JSONValue)]) -> KoniEvent {
                    KoniEvent(
                        type: .matchCompleted, tenantID: Self.jatim, tenantSlug: "jatim",
                        data: .object([
                            ("match_id", .string("pon-2026-final")), ("tournament_id", .string(UUID().uuidString)),
                            (
                                "participants",
                                .array([
                                    .object([("athlete_id", .string(id)), ("stats", .object(stats))]),
                                    .object([("athlete_id", .string(UUID().uuidString)), ("stats", .object([]))]),
                                ])
                            ),
                            ("score", .object([("home", .number(2)), ("away", .number(1))])),
                        ]), traceID: "t")
                }
                let event = completed([("goals", .number(2)), ("appearances", .number(1))])
                #expect(try await consumer.apply(event.body) == .applied)
                #expect(try await consumer.apply(event.body) == .alreadyApplied)
                // The same match announced again under another event id (a producer's retry): still counted once.
                if case .ignored = try await consumer.apply(completed([("goals", .number(2))]).body) {} else { Issue.record("the match was counted twice") }
                // A chess statistic for a footballer (named in a chess match) is not counted; the event is not lost for that.
                let chess = KoniEvent(
                    type: .matchCompleted, tenantID: Self.jatim, tenantSlug: "jatim",
                    data: .object([
                        ("match_id", .string("catur-1")),
                        ("participants", .array([.object([("athlete_id", .string(id)), ("stats", .object([("rating_elo", .number(1))]))])])),
                    ]), traceID: "t")
                if case .ignored = try await consumer.apply(chess.body) {} else { Issue.record("a chess statistic was added to a footballer") }
                // Another branch's result never reaches this branch's athlete.
                let jabar = KoniEvent(
                    type: .matchCompleted, tenantID: BranchID.derived(slug: "jabar"), tenantSlug: "jabar",
                    data: .object([
                        ("match_id", .string("jabar-1")),
                        ("participants", .array([.object([("athlete_id", .string(id)), ("stats", .object([("goals", .number(50))]))])])),
                    ]), traceID: "t")
                if case .ignored = try await consumer.apply(jabar.body) {} else { Issue.record("another branch's result counted") }
                group.cancelAll()
            }
            await amqp.close()
            let read = try await client.jsonRequest(.get, "/api/v1/athletes/jatim/athletes/\(id)", token: admin)
            #expect(read.json["stats"]?["goals"] == .number(12) && read.json["stats"]?["appearances"] == .number(1), "\(read.json.jsonText)")
        }
    }

    /// GMS checks a match's statistics against `SportCatalog`; the Athlete service counts them by
    /// its `sports` table. They must be the same, or a result GMS accepts is dead-lettered here.
    @Test func theSportsTableIsTheSharedCatalog() async throws {
        let test = try await App()
        let logger = test.logger
        try await test.application().test(.router) { _ in
            let database = try Database(url: test.configuration.databaseURL, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await database.client.run() }
                let table = try await database.client.withConnection { try await AthleteStore(logger: logger).sports(on: $0) }
                #expect(table == SportCatalog.sports)
                group.cancelAll()
            }
        }
    }

    @Test func theDocumentNamesEveryRouteAndNoOther() async throws {
        let logger = Logger(label: "openapi-test")
        let api = AthleteAPI(
            database: try Database(url: "postgres://nobody@127.0.0.1:1/none", logger: logger), store: AthleteStore(logger: logger), relay: nil,
            calendar: { Date() })
        let router = Router(context: KoniRequestContext.self)
        api.register(on: router, verifier: try await JWTVerifier(publicKeyPEM: TestKeys.publicKeyPEM, expectations: .init()))
        let (undocumented, imaginary) = OpenAPIRoutes.differences(
            served: router.routes.map { "\($0.method.rawValue) \($0.path)" }, document: AthleteOpenAPI.served, ignoring: ["GET /api/v1/athletes/openapi.json"]
        )
        #expect(undocumented.isEmpty && imaginary.isEmpty, "\(undocumented) \(imaginary)")
    }
}
