import Foundation
import KoniServiceKit
import Logging

/// Every setting of `athlete-service`, read from a flag or a `KONI_ATHLETE_*` variable;
/// `athlete-service --help` lists them with their variables and defaults (``AthleteServiceCommand``).
public struct AthleteConfiguration: Sendable, CommonServiceSettings {
    public var host = "127.0.0.1"
    public var port = 8004
    public var databaseURL: String
    public var tokenKeys: ServiceTokenKeys
    public var jwtExpectations = JWTVerifier.Expectations()
    public var amqpURL: String
    public var exchange = EventTopology.exchange
    /// The queue `match.completed` is read from (one per deployment).
    public var matchesQueue = MatchCompletedHandler.queue
    public var logLevel: Logger.Level = .info
    public var relay = OutboxRelay.Settings()

    public init(databaseURL: String, tokenKeys: ServiceTokenKeys, amqpURL: String) {
        self.databaseURL = databaseURL
        self.tokenKeys = tokenKeys
        self.amqpURL = amqpURL
    }

    public static let environmentPrefix = AthleteSettingNames.variablePrefix

    /// Reads the settings from flags and the environment.
    public static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> AthleteConfiguration {
        var configuration = AthleteConfiguration(
            databaseURL: try settings.requiredString("database-url"), tokenKeys: try ServiceTokenKeys.load(settings),
            amqpURL: try settings.requiredString("amqp-url")
        )
        try configuration.loadCommonSettings(settings)
        configuration.matchesQueue = settings.string("matches-queue", default: configuration.matchesQueue)
        return configuration
    }
}
