import Foundation
import Hummingbird
import KoniAMQP
import KoniServiceKit
import Logging
import ServiceLifecycle

/// Assembles the Athlete service: PostgreSQL, migrations, the HTTP API, the consumer of
/// `match.completed` and the outbox relay, shutting down in order on SIGTERM.
package enum AthleteServer {
    package static func makeApplication(
        configuration: AthleteConfiguration, publisher: any OutboxPublisher, amqp: AMQPConnection?, logger: Logger, metrics: ServiceMetrics = ServiceMetrics(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> some ApplicationProtocol {
        let database = try Database(url: configuration.databaseURL, logger: logger)
        let verifier = try await configuration.tokenKeys.verifier(expectations: configuration.jwtExpectations, logger: logger)
        let ready = ReadyGate()
        let relay = OutboxRelay(database: database, publisher: publisher, settings: configuration.relay, ready: ready, metrics: metrics, logger: logger)
        let store = AthleteStore(logger: logger)
        let api = AthleteAPI(database: database, store: store, relay: relay, calendar: now)
        let router = Router<KoniRequestContext>.koniService(database: database, ready: ready, metrics: metrics)
        api.register(on: router, verifier: verifier)
        var services: [any Service] = [database.client, relay]
        if let amqp {
            let handler = MatchCompletedHandler(store: store, logger: logger)
            services.append(
                InboxConsumer(
                    queue: configuration.matchesQueue, bindings: [.matchCompleted], connection: amqp, database: database, exchange: configuration.exchange,
                    logger: logger, ready: ready, handler: handler.handle
                ))
        }
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "koni-athlete"),
            services: services,
            logger: logger
        )
        app.beforeServerStarts(perform: Migrator.startupStep(database: database, migrations: AthleteMigrations.all, ready: ready, logger: logger))
        return app
    }

    /// Runs the service until SIGTERM or SIGINT.
    package static func run(configuration: AthleteConfiguration, logger: Logger) async throws {
        try await ServiceStart.runWithBroker(
            name: "athlete-service", amqpURL: configuration.amqpURL, exchange: configuration.exchange, port: configuration.port, logger: logger
        ) { publisher, amqp in
            try await makeApplication(configuration: configuration, publisher: publisher, amqp: amqp, logger: logger)
        }
    }
}
