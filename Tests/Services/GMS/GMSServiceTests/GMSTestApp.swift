import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import Logging

@testable import GMSService

/// GMS on a fresh database of the test PostgreSQL.
struct GMSTestApp {
    static let jatim = BranchID.derived(slug: "jatim")
    static let gameAdmin = { () -> String in (try? TestKeys.token(roles: ["game-admin"])) ?? "" }()

    var configuration: GMSConfiguration

    init() async throws {
        configuration = GMSConfiguration(
            databaseURL: try await TestServers.makeDatabase(prefix: "gms_test"), tokenKeys: .publicKeyPEM(TestKeys.publicKeyPEM),
            amqpURL: try TestServers.amqpURL
        )
        configuration.port = 0
    }

    var logger: Logger {
        var logger = Logger(label: "gms-test") { _ in JSONLogHandler(label: "gms-test", level: .error) }
        logger.logLevel = .error
        return logger
    }

    func application(publisher: any OutboxPublisher = RecordingPublisher()) async throws -> some ApplicationProtocol {
        try await GMSServer.makeApplication(configuration: configuration, publisher: publisher, logger: logger)
    }

    static func tournament(_ slug: String, sport: String = "sepak-bola", format: String = "league") -> JSONValue {
        .object([
            ("slug", .string(slug)), ("name", .string("Porprov Jatim 2026 \(slug)")), ("sport", .string(sport)), ("format", .string(format)),
            ("starts_on", .string("2026-12-01")), ("ends_on", .string("2026-12-20")), ("venue", .string("Gelora Bung Tomo")),
        ])
    }

    static func match(round: Int, position: Int, home: String?, away: String?, homeAthlete: String? = nil, awayAthlete: String? = nil) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [
            ("round", .number(Double(round))), ("position", .number(Double(position))), ("scheduled_at", .string("2026-12-0\(round)T09:00:00+07:00")),
        ]
        if let home { pairs.append(("home", .object([("name", .string(home))] + (homeAthlete.map { [("athlete_id", .string($0))] } ?? [])))) }
        if let away { pairs.append(("away", .object([("name", .string(away))] + (awayAthlete.map { [("athlete_id", .string($0))] } ?? [])))) }
        return .object(pairs)
    }

    static func score(_ home: Int, _ away: Int) -> JSONValue {
        .object([("score", .object([("home", .number(Double(home))), ("away", .number(Double(away)))]))])
    }
}
