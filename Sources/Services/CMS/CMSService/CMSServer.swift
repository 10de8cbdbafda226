import ComproTheme
import KoniAMQP
import Hummingbird
import KoniServiceKit
import Logging

/// Assembles the CMS: the PostgreSQL pool, migrations, the HTTP API and the outbox relay, as
/// one Hummingbird application whose service group shuts down in order on SIGTERM (HTTP drains
/// first, then the relay makes its last pass, then the pool closes).
public enum CMSServer {
    /// The application, ready to `run()` or to test.
    /// - Parameter publisher: where the relay sends events (RabbitMQ in production).
    public static func makeApplication(
        configuration: CMSConfiguration, publisher: any OutboxPublisher, logger: Logger, metrics: ServiceMetrics = ServiceMetrics()
    ) async throws -> some ApplicationProtocol {
        let database = try Database(url: configuration.databaseURL, logger: logger)
        let verifier = try await configuration.tokenKeys.verifier(expectations: configuration.jwtExpectations, logger: logger)
        let ready = ReadyGate()
        let relay = OutboxRelay(database: database, publisher: publisher, settings: configuration.relay, ready: ready, metrics: metrics, logger: logger)
        let api = CMSAPI(
            database: database, contents: ContentStore(logger: logger), sites: SiteStore(logger: logger), changeLog: ChangeLogStore(logger: logger),
            themes: ThemeCatalog(directory: configuration.themesDirectory), maximumBodyBytes: configuration.maximumBodyBytes, relay: relay
        )

        let router = Router<KoniRequestContext>.koniService(database: database, ready: ready, metrics: metrics)
        api.register(on: router, verifier: verifier)
        if !configuration.serviceKeys.isEmpty {
            api.registerReferences(on: try router.internalRoutes(keys: configuration.serviceKeys))
        }

        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "koni-cms"),
            services: [database.client, relay],
            logger: logger
        )
        app.beforeServerStarts(perform: Migrator.startupStep(database: database, migrations: CMSMigrations.all, ready: ready, logger: logger))
        return app
    }
}

extension CMSServer {
    /// Runs the CMS until SIGTERM or SIGINT: connects to RabbitMQ (reconnecting on its own while
    /// the broker is away), serves HTTP, relays events, and on the signal drains requests and the
    /// relay before closing the broker connection.
    public static func run(configuration: CMSConfiguration, logger: Logger) async throws {
        try await ServiceStart.runWithBroker(
            name: "cms-service", amqpURL: configuration.amqpURL, exchange: configuration.exchange, port: configuration.port, logger: logger
        ) { publisher, _ in
            try await makeApplication(configuration: configuration, publisher: publisher, logger: logger)
        }
    }
}
