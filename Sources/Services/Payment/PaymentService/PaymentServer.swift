import Hummingbird
import KoniAMQP
import KoniServiceKit
import Logging
import Midtrans
import ServiceLifecycle

/// Assembles the Payment service: PostgreSQL, migrations, the Midtrans client, the HTTP API, the
/// reconciler and the outbox relay, as one Hummingbird application that shuts down in order on SIGTERM.
package enum PaymentServer {
    package static func makeApplication(
        configuration: PaymentConfiguration, publisher: any OutboxPublisher, logger: Logger, metrics: ServiceMetrics = ServiceMetrics()
    ) async throws -> some ApplicationProtocol {
        let database = try Database(url: configuration.databaseURL, logger: logger)
        let verifier = try await configuration.tokenKeys.verifier(expectations: configuration.jwtExpectations, logger: logger)
        let ready = ReadyGate()
        let relay = OutboxRelay(database: database, publisher: publisher, settings: configuration.relay, ready: ready, metrics: metrics, logger: logger)
        let ledger = PaymentLedger(
            database: database, store: PaymentStore(logger: logger), midtrans: MidtransClient(settings: configuration.midtrans), relay: relay, logger: logger
        )
        let paymentMetrics = PaymentMetrics(metrics)
        let api = PaymentAPI(ledger: ledger, metrics: paymentMetrics)

        let router = Router<KoniRequestContext>.koniService(database: database, ready: ready, metrics: metrics)
        api.register(on: router, verifier: verifier)
        if !configuration.serviceKeys.isEmpty {
            api.registerInternal(on: try router.internalRoutes(keys: configuration.serviceKeys))
        }
        var services: [any Service] = [database.client, relay]
        if configuration.reconcileIntervalSeconds > 0 {
            var settings = PaymentReconciler.Settings()
            settings.interval = .seconds(configuration.reconcileIntervalSeconds)
            settings.idleSeconds = configuration.reconcileIdleSeconds
            settings.abandonAfterSeconds = configuration.reconcileAbandonSeconds
            let reconciler = PaymentReconciler(ledger: ledger, settings: settings, metrics: paymentMetrics)
            services.append(RecurringJob(every: settings.interval, ready: ready) { await reconciler.round() })
        }

        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "koni-payment"),
            services: services,
            logger: logger
        )
        app.beforeServerStarts(perform: Migrator.startupStep(database: database, migrations: PaymentMigrations.all, ready: ready, logger: logger))
        return app
    }

    /// Runs the service until SIGTERM or SIGINT (see ``CMSServer``'s twin).
    package static func run(configuration: PaymentConfiguration, logger: Logger) async throws {
        try await ServiceStart.runWithBroker(
            name: "payment-service", amqpURL: configuration.amqpURL, exchange: configuration.exchange, port: configuration.port, logger: logger
        ) { publisher, _ in
            try await makeApplication(configuration: configuration, publisher: publisher, logger: logger)
        }
    }
}
