import AthleteService
import ComproPublish
import Foundation
import HummingbirdTesting
import KoniAMQP
import KoniEvents
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Logging
import Testing

@testable import GMSService

/// The whole path, for a branch whose tournaments GMS keeps and whose athletes the Athlete service
/// keeps: a result kept in GMS goes out through its outbox and the real RabbitMQ to the Athlete
/// service (which counts the athlete's statistics) and to the `koni-compro serve` binary; the
/// binary re-reads both exports and publishes the tournament's table, the home page's latest
/// results and the athlete's page with the new statistics and the match; the live tree then equals
/// a `koni-compro build` of the same branch.
@Suite(.serialized) struct DaemonTournamentTests {
    @Test func aResultInGMSIsLiveThroughTheDaemonAndEqualsAFullBuild() async throws {
        let slug = "gmsuji\(UUID().uuidString.prefix(6).lowercased())"
        let gms = try await GMSTestApp()
        let logger = gms.logger
        let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "gms-daemon-tests"), logger: logger)
        let queue = "gms-daemon-test-\(slug)"
        var athletes = AthleteConfiguration(
            databaseURL: try await TestServers.makeDatabase(prefix: "athlete_test"), tokenKeys: .publicKeyPEM(TestKeys.publicKeyPEM),
            amqpURL: try TestServers.amqpURL
        )
        athletes.port = 0
        athletes.matchesQueue = "athlete.matches.\(slug)"
        let athleteQueue = athletes.matchesQueue
        let athleteAMQP = AMQPConnection(
            configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "athlete-daemon-tests"), logger: logger)
        let athleteApp = try await AthleteServer.makeApplication(
            configuration: athletes, publisher: AMQPOutboxPublisher(connection: athleteAMQP, exchange: EventTopology.exchange), amqp: athleteAMQP,
            logger: logger
        )
        try await athleteApp.test(.live) { athleteClient in
            try await gms.application(publisher: AMQPOutboxPublisher(connection: amqp, exchange: EventTopology.exchange)).test(.live) { client in
                let url = "http://127.0.0.1:\(try #require(client.port))"
                let athletesURL = "http://127.0.0.1:\(try #require(athleteClient.port))"
                try await eventually("the Athlete service declared its queue") { (try? await athleteAMQP.queueStatus(athleteQueue)) != nil }
                let registered = try await athleteClient.jsonRequest(
                    .post, "/api/v1/athletes/\(slug)/athletes",
                    json: .object([
                        ("slug", .string("muhammad-alif")), ("full_name", .string("Muhammad Alif")), ("birth_date", .string("2001-03-04")),
                        ("gender", .string("L")),
                        ("sport", .string("sepak-bola")), ("club", .string("Persiu")),
                        ("stats", .object([("goals", .number(10)), ("appearances", .number(20))])),
                        ("featured", .bool(true)),
                    ]), token: TestKeys.admin)
                let athleteID = try #require(registered.json["id"]?.text, "\(registered.text)")
                let admin = GMSTestApp.gameAdmin
                let tournamentID = try #require(
                    try await client.jsonRequest(.post, "/api/v1/gms/\(slug)/tournaments", json: GMSTestApp.tournament("liga-kota"), token: admin).json["id"]?
                        .text)
                let matchID = try #require(
                    try await client.jsonRequest(
                        .post, "/api/v1/gms/\(slug)/tournaments/\(tournamentID)/matches",
                        json: GMSTestApp.match(round: 1, position: 1, home: "Persiu", away: "Uji United"), token: admin
                    ).json["id"]?.text)

                // A branch of its own (so that other tests' daemons, bound to the same exchange, do not carry it).
                let tenants = TemporaryFolders.make("daemon-tenants")
                try FileManager.default.copyItem(atPath: "\(Repository.fixtureTenants)/uji", toPath: "\(tenants)/\(slug)")
                // The folder's own tournaments name its own athletes; GMS's and the service's replace both.
                try FileManager.default.removeItem(atPath: "\(tenants)/\(slug)/content/tournaments")
                let yml =
                    try String(contentsOfFile: "\(tenants)/\(slug)/tenant.yml", encoding: .utf8) + "gms:\n  url: \(url)\nathletes:\n  url: \(athletesURL)\n"
                try yml.write(toFile: "\(tenants)/\(slug)/tenant.yml", atomically: true, encoding: .utf8)
                let sites = TemporaryFolders.make("daemon-sites")
                let common = ["--tenants", tenants, "--templates", Repository.templates, "--themes", Repository.themes]
                let built = try await ProcessRunner.runAsync(Repository.binary("koni-compro"), ["build", slug] + common + ["--out", sites])
                #expect(built.status == 0, "\(built.errors)")

                let log = "\(sites)/daemon.log"
                FileManager.default.createFile(atPath: log, contents: nil)
                let daemon = Process()
                daemon.executableURL = URL(fileURLWithPath: Repository.binary("koni-compro"))
                daemon.arguments =
                    ["serve"] + common + [
                        "--out", sites, "--port", "0", "--amqp", try TestServers.amqpURL, "--queue", queue, "--binding", "tournament.#", "--binding",
                        "match.completed", "--binding", "athlete.#",
                        "--log-format", "json",
                    ]
                let handle = try #require(FileHandle(forWritingAtPath: log))
                daemon.standardOutput = handle
                daemon.standardError = handle
                try daemon.run()
                defer {
                    kill(daemon.processIdentifier, SIGTERM)
                    daemon.waitUntilExit()
                }
                func logTail() -> String {
                    ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(20).joined(separator: "\n")
                }
                func page(_ path: String) -> String? {
                    guard let reader = try? ReleaseReader(currentLink: "\(sites)/\(slug)/current"), let data = reader.read(path) else { return nil }
                    return String(decoding: data, as: UTF8.self)
                }
                try await eventually("the daemon declared its queue", limit: .seconds(60)) { (try? await amqp.queueStatus(queue)) != nil }
                #expect(page("turnamen/liga-kota/index.html")?.contains("Persiu") == true, "the build read GMS")
                #expect(page("atlet/muhammad-alif/index.html")?.contains("Muhammad Alif") == true, "the build read the Athlete service")
                #expect(page("atlet/andi-pratama/index.html") == nil, "the folder's athletes are not read for such a branch")
                #expect(page("index.html")?.contains("/atlet/muhammad-alif/") == true, "the service's featured athlete on the home page")

                let started = ContinuousClock.now
                let result = JSONValue.object([
                    ("score", .object([("home", .number(3)), ("away", .number(1))])),
                    (
                        "participants",
                        .array([
                            .object([
                                ("athlete_id", .string(athleteID)), ("side", .string("home")),
                                ("stats", .object([("goals", .number(2)), ("appearances", .number(1))])),
                            ])
                        ])
                    ),
                ])
                #expect(try await client.jsonRequest(.post, "/api/v1/gms/\(slug)/matches/\(matchID)/result", json: result, token: admin).status == 200)
                do {
                    try await eventually("the result is live", limit: .seconds(60)) {
                        let athlete = page("atlet/muhammad-alif/index.html") ?? ""
                        return page("turnamen/liga-kota/index.html")?.contains("3 – 1") == true && page("index.html")?.contains("3 – 1") == true
                            && athlete.contains("<dd>12</dd>") && athlete.contains("3 – 1")
                    }
                } catch {
                    Issue.record("daemon log:\n\(logTail())")
                    throw error
                }
                print("gms: a result kept in GMS was live through RabbitMQ and the daemon after \(ContinuousClock.now - started) (debug build)")

                let fresh = TemporaryFolders.make("daemon-fresh")
                let full = try await ProcessRunner.runAsync(Repository.binary("koni-compro"), ["build", slug] + common + ["--out", fresh])
                #expect(full.status == 0, "\(full.errors)")
                let live = try ReleaseReader(currentLink: "\(sites)/\(slug)/current"), expected = try ReleaseReader(currentLink: "\(fresh)/\(slug)/current")
                let different = Set(live.allPaths()).union(expected.allPaths()).filter { live.read($0) != expected.read($0) }.sorted()
                #expect(different.isEmpty, "the live tree differs from a full build: \(different.prefix(5))")
            }
        }
        try? await amqp.deleteQueue(queue)
        try? await amqp.deleteQueue("\(queue).dead")
        await amqp.close()
        await athleteAMQP.close()
    }
}
