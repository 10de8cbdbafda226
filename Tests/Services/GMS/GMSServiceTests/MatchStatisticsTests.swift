import AthleteService
import Foundation
import HummingbirdTesting
import KoniAMQP
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Logging
import Testing

@testable import GMSService

/// A result kept in GMS reaches the Athlete service through the real RabbitMQ and counts into the
/// athlete's statistics once, also when `match.completed` is delivered twice.
@Suite(.serialized) struct MatchStatisticsTests {
    @Test func aResultInGMSCountsIntoTheAthletesStatisticsOnce() async throws {
        let exchange = "gms-athlete-test-\(UUID().uuidString.prefix(8))"
        var gmsSetup = try await GMSTestApp()
        gmsSetup.configuration.exchange = exchange
        let gms = gmsSetup
        let logger = gms.logger
        let gmsAMQP = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "gms-tests"), logger: logger)
        let athleteAMQP = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "athlete-tests"), logger: logger)
        var athletes = AthleteConfiguration(
            databaseURL: try await TestServers.makeDatabase(prefix: "athlete_test"), tokenKeys: .publicKeyPEM(TestKeys.publicKeyPEM),
            amqpURL: try TestServers.amqpURL
        )
        athletes.port = 0
        athletes.exchange = exchange
        athletes.matchesQueue = "athlete.matches.\(exchange)"
        let queue = athletes.matchesQueue
        let athleteDatabase = athletes.databaseURL
        let gmsDatabase = gms.configuration.databaseURL
        let athleteApp = try await AthleteServer.makeApplication(configuration: athletes, publisher: RecordingPublisher(), amqp: athleteAMQP, logger: logger)
        try await athleteApp.test(.router) { athleteClient in
            try await eventually("the Athlete service declared its queue") { (try? await athleteAMQP.queueStatus(queue)) != nil }
            let jatim = GMSTestApp.jatim
            let manager = try TestKeys.token(roles: ["admin-cabang"], tenantID: jatim)
            let registered = try await athleteClient.jsonRequest(
                .post, "/api/v1/athletes/jatim/athletes",
                json: .object([
                    ("slug", .string("muhammad-alif")), ("full_name", .string("Muhammad Alif")), ("birth_date", .string("2001-03-04")),
                    ("gender", .string("L")),
                    ("sport", .string("sepak-bola")), ("stats", .object([("goals", .number(10)), ("appearances", .number(20))])),
                ]), token: manager)
            let athleteID = try #require(registered.json["id"]?.text, "\(registered.text)")

            try await gms.application(publisher: AMQPOutboxPublisher(connection: gmsAMQP, exchange: exchange)).test(.router) { client in
                let admin = GMSTestApp.gameAdmin
                let tournamentID = try #require(
                    try await client.jsonRequest(.post, "/api/v1/gms/jatim/tournaments", json: GMSTestApp.tournament("liga"), token: admin).json["id"]?.text)
                let matchID = try #require(
                    try await client.jsonRequest(
                        .post, "/api/v1/gms/jatim/tournaments/\(tournamentID)/matches",
                        json: GMSTestApp.match(round: 1, position: 1, home: "Persebaya", away: "Arema"), token: admin
                    ).json["id"]?.text)
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
                #expect(try await client.jsonRequest(.post, "/api/v1/gms/jatim/matches/\(matchID)/result", json: result, token: admin).status == 200)

                try await eventually("the athlete's statistics counted the match", limit: .seconds(30)) {
                    try await athleteClient.jsonRequest(.get, "/api/v1/athletes/jatim/athletes/\(athleteID)", token: manager).json["stats"]?["goals"]?.int == 12
                }
                // match.completed delivered again, as a redelivery would.
                let sent = try await TestServers.query("SELECT payload FROM outbox WHERE type = 'match.completed'", on: gmsDatabase, as: String.self)
                #expect(sent.count == 1)
                for body in sent {
                    try await gmsAMQP.publish(exchange: exchange, routingKey: "match.completed", body: Array(body.utf8))
                    // And as a producer's retry would: the same match under another event id (past the inbox, to the per-match guard).
                    guard case .object(var pairs) = try JSONValue.parse(Array(body.utf8)), let index = pairs.firstIndex(where: { $0.key == "id" }) else {
                        Issue.record("not an event: \(body)")
                        continue
                    }
                    pairs[index].value = .string(UUID().uuidString.lowercased())
                    try await gmsAMQP.publish(exchange: exchange, routingKey: "match.completed", body: JSONValue.object(pairs).jsonBytes)
                }
                try await eventually("the redelivery was consumed") { (try? await athleteAMQP.queueStatus(queue).messageCount) == 0 }
                // An empty queue means delivered, not yet handled: the retry's id is recorded when it is.
                try await eventually("two event ids consumed") {
                    let consumed = try await TestServers.query(
                        "SELECT count(*)::int FROM consumed_events WHERE type = 'match.completed'", on: athleteDatabase, as: Int.self
                    )
                    #expect(consumed.count == 1 && consumed[0] <= 2, "at most two event ids")
                    return consumed == [2]
                }
                try await Task.sleep(for: .milliseconds(500))
                let read = try await athleteClient.jsonRequest(.get, "/api/v1/athletes/jatim/athletes/\(athleteID)", token: manager)
                #expect(read.json["stats"]?["goals"]?.int == 12 && read.json["stats"]?["appearances"]?.int == 21, "the match counted once: \(read.text)")
            }
        }
        await gmsAMQP.close()
        await athleteAMQP.close()
    }
}
