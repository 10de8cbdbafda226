import Foundation
import KoniServiceKit
import Logging

/// Every setting of `athlete-service`, read from a flag or a `KONI_ATHLETE_*` variable;
/// `athlete-service --help` lists them with their variables and defaults (``AthleteServiceCommand``).
public struct AthleteConfiguration: Sendable {
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

    public static let environmentPrefix = "KONI_ATHLETE_"

    /// Reads the settings from flags and the environment.
    public static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> AthleteConfiguration {
        var configuration = AthleteConfiguration(
            databaseURL: try settings.requiredString("database-url"), tokenKeys: try ServiceTokenKeys.load(settings), amqpURL: try settings.requiredString("amqp-url")
        )
        configuration.jwtExpectations.issuer = settings.string("jwt-issuer", default: configuration.jwtExpectations.issuer)
        configuration.jwtExpectations.audience = settings.string("jwt-audience", default: configuration.jwtExpectations.audience)
        configuration.host = settings.string("host", default: configuration.host)
        configuration.port = try settings.int("port", default: configuration.port, range: 0...65535)
        configuration.exchange = settings.string("exchange", default: configuration.exchange)
        configuration.matchesQueue = settings.string("matches-queue", default: configuration.matchesQueue)
        configuration.logLevel = try settings.logLevel()
        return configuration
    }
}
