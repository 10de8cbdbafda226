import ComproTheme
import KoniAMQP
import Hummingbird
import KoniServiceKit
import Logging
import ServiceLifecycle

/// Assembles the CMS: the PostgreSQL pool, migrations, the HTTP API and the outbox relay, as
/// one Hummingbird application whose service group shuts down in order on SIGTERM (HTTP drains
/// first, then the relay makes its last pass, then the pool closes).
package enum CMSServer {
    /// The application, ready to `run()` or to test.
    /// - Parameter publisher: where the relay sends events (RabbitMQ in production).
    /// - Parameter amqp: where `tenant.created` is consumed from (nil: not consumed).
    package static func makeApplication(
        configuration: CMSConfiguration, publisher: any OutboxPublisher, amqp: AMQPConnection? = nil, logger: Logger,
        metrics: ServiceMetrics = ServiceMetrics()
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

        var services: [any Service] = [database.client, relay]
        if let amqp {
            let handler = TenantCreatedHandler(sites: api.sites, themes: api.themes, logger: logger)
            services.append(
                InboxConsumer(
                    queue: configuration.tenantsQueue, bindings: [.tenantCreated], connection: amqp, database: database, exchange: configuration.exchange,
                    logger: logger, ready: ready, handler: handler.handle
                ))
        }
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "koni-cms"),
            services: services,
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
    package static func run(configuration: CMSConfiguration, logger: Logger) async throws {
        try await ServiceStart.runWithBroker(
            name: "cms-service", amqpURL: configuration.amqpURL, exchange: configuration.exchange, port: configuration.port, logger: logger
        ) { publisher, amqp in
            try await makeApplication(configuration: configuration, publisher: publisher, amqp: amqp, logger: logger)
        }
    }
}
