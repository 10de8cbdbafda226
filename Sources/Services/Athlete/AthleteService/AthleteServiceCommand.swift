import ArgumentParser
import Foundation
import KoniServiceKit
import Logging

/// `athlete-service`: every setting is a flag or a `KONI_ATHLETE_*` variable (flags win), read by
/// ``AthleteConfiguration/load(_:)``; logs are JSON lines on standard error; SIGTERM or SIGINT
/// drains requests, the consumer and the event relay, then exits.
package struct AthleteServiceCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "athlete-service",
        abstract: "The KONI Athlete service: each branch's athletes, teams and sports, and their statistics.",
        discussion: "Every setting is a flag or the environment variable named beside it (flags win). Migrations run at start."
    )

    @OptionGroup var common: ServiceOptions<AthleteSettingNames>
    @Option(help: .setting("The queue match.completed is read from.", variable: "KONI_ATHLETE_MATCHES_QUEUE", default: "athlete.matches", valueName: "name"))
    var matchesQueue: String?

    package init() {}

    /// Parses the process's arguments and runs; what `athlete-service`'s `main.swift` calls.
    package static func runFromCommandLine() async {
        await ServiceStart.main(Self.self)
    }

    package func run() async throws {
        let flags: [(String, String?)] =
            common.flags + [
                ("matches-queue", matchesQueue)
            ]
        try await ServiceStart.run(
            name: "athlete-service", prefix: AthleteConfiguration.environmentPrefix, flags: flags, load: AthleteConfiguration.load, logLevel: \.logLevel,
            run: AthleteServer.run
        )
    }
}

/// The names of `athlete-service`'s settings.
package enum AthleteSettingNames: ServiceSettingNames {
    package static let variablePrefix = "KONI_ATHLETE_"
    package static let defaultPort = "8004"
    package static let databaseName = "athlete_db"
}
