import AsyncHTTPClient
import Foundation
import Hummingbird
import KoniAMQP
import KoniServiceKit
import Logging
import ServiceLifecycle

/// Assembles GMS: PostgreSQL, migrations, the HTTP API, the international sync and the outbox
/// relay, shutting down in order on SIGTERM.
package enum GMSServer {
    package static func makeApplication(
        configuration: GMSConfiguration, publisher: any OutboxPublisher, logger: Logger, metrics: ServiceMetrics = ServiceMetrics()
    ) async throws -> some ApplicationProtocol {
        let database = try Database(url: configuration.databaseURL, logger: logger)
        let verifier = try await configuration.tokenKeys.verifier(expectations: configuration.jwtExpectations, logger: logger)
        let ready = ReadyGate()
        let relay = OutboxRelay(database: database, publisher: publisher, settings: configuration.relay, ready: ready, metrics: metrics, logger: logger)
        let store = GMSStore(logger: logger)
        let api = GMSAPI(database: database, store: store, relay: relay)
        let router = Router<KoniRequestContext>.koniService(database: database, ready: ready, metrics: metrics)
        api.register(on: router, verifier: verifier)
        var services: [any Service] = [database.client, relay]
        if let international = configuration.international, international.intervalSeconds > 0 {
            let sync = sync(international, database: database, store: store, relay: relay, logger: logger)
            // A run cut by shutdown resumes where it stopped at the next start.
            services.append(
                RecurringJob(every: .seconds(international.intervalSeconds), ready: ready) {
                    do { _ = try await sync.run() } catch { logger.error("tournament sync could not run", metadata: ["error": "\(error)"]) }
                })
        }
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "koni-gms"),
            services: services,
            logger: logger
        )
        app.beforeServerStarts(perform: Migrator.startupStep(database: database, migrations: GMSMigrations.all, ready: ready, logger: logger))
        return app
    }

    static func sync(
        _ international: GMSConfiguration.International, database: Database, store: GMSStore, relay: OutboxRelay?, logger: Logger
    ) -> TournamentSync {
        var client = InternationalAPIClient.Settings(baseURL: international.baseURL, apiKey: international.apiKey)
        client.timeout = .milliseconds(international.timeoutMilliseconds)
        var settings = TournamentSync.Settings()
        settings.tenantSlug = international.tenantSlug
        settings.maxRequests = international.maxRequestsPerRun
        return TournamentSync(
            database: database, store: store, provider: InternationalAPIClient(settings: client), settings: settings, relay: relay, logger: logger)
    }

    /// Runs the service until SIGTERM or SIGINT.
    package static func run(configuration: GMSConfiguration, logger: Logger) async throws {
        try await ServiceStart.runWithBroker(
            name: "gms-service", amqpURL: configuration.amqpURL, exchange: configuration.exchange, port: configuration.port, logger: logger
        ) { publisher, _ in
            try await makeApplication(configuration: configuration, publisher: publisher, logger: logger)
        }
    }
}
