import Foundation
import KoniServiceKit
import Logging

/// Every setting of `athlete-service`, read from a flag or a `KONI_ATHLETE_*` variable;
/// `athlete-service --help` lists them with their variables and defaults (``AthleteServiceCommand``).
package struct AthleteConfiguration: Sendable, CommonServiceSettings {
    package var host = "127.0.0.1"
    package var port = 8004
    package var databaseURL: String
    package var tokenKeys: ServiceTokenKeys
    package var jwtExpectations = JWTVerifier.Expectations()
    package var amqpURL: String
    package var exchange = EventTopology.exchange
    /// The queue `match.completed` is read from (one per deployment).
    package var matchesQueue = MatchCompletedHandler.queue
    package var logLevel: Logger.Level = .info
    package var relay = OutboxRelay.Settings()

    package init(databaseURL: String, tokenKeys: ServiceTokenKeys, amqpURL: String) {
        self.databaseURL = databaseURL
        self.tokenKeys = tokenKeys
        self.amqpURL = amqpURL
    }

    package static let environmentPrefix = AthleteSettingNames.variablePrefix

    /// Reads the settings from flags and the environment.
    package static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> AthleteConfiguration {
        var configuration = AthleteConfiguration(
            databaseURL: try settings.requiredString("database-url"), tokenKeys: try ServiceTokenKeys.load(settings),
            amqpURL: try settings.requiredString("amqp-url")
        )
        try configuration.loadCommonSettings(settings)
        configuration.matchesQueue = settings.string("matches-queue", default: configuration.matchesQueue)
        return configuration
    }
}
