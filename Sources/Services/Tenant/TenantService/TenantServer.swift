import Foundation
import Hummingbird
import KoniAMQP
import KoniServiceKit
import Logging
import ServiceLifecycle

/// Assembles the Tenant service: PostgreSQL, migrations, the HTTP API, the consumer of
/// `payment.*` events, the billing schedule and the outbox relay, as one Hummingbird application
/// that shuts down in order on SIGTERM.
package enum TenantServer {
    package static func makeApplication(
        configuration: TenantConfiguration, publisher: any OutboxPublisher, amqp: AMQPConnection?, logger: Logger, metrics: ServiceMetrics = ServiceMetrics(),
        calendarNow: (@Sendable () -> Date)? = nil
    ) async throws -> some ApplicationProtocol {
        let database = try Database(url: configuration.databaseURL, logger: logger)
        let verifier = try await configuration.tokenKeys.verifier(expectations: configuration.jwtExpectations, logger: logger)
        let ready = ReadyGate()
        let relay = OutboxRelay(database: database, publisher: publisher, settings: configuration.relay, ready: ready, metrics: metrics, logger: logger)
        let tenants = TenantStore(logger: logger)
        let billing = Billing(
            database: database, tenants: tenants, store: BillingStore(logger: logger),
            payments: configuration.payments.map { settings in
                // Longer than the Payment service's own Snap call, and never retried here: the
                // Payment service answers a repeated key itself.
                var settings = settings
                settings.timeout = .seconds(15)
                settings.maxAttempts = 1
                return ServiceClient(settings: settings)
            },
            calendar: calendarNow.map { BillingCalendar(now: $0) } ?? BillingCalendar(), relay: relay, logger: logger
        )
        let api = TenantAPI(database: database, store: tenants, billing: billing, presets: configuration.themePresets, relay: relay)

        let router = Router<KoniRequestContext>.koniService(database: database, ready: ready, metrics: metrics)
        api.register(on: router, verifier: verifier)
        if !configuration.serviceKeys.isEmpty {
            api.registerInternal(on: try router.internalRoutes(keys: configuration.serviceKeys))
        }
        var services: [any Service] = [database.client, relay]
        if let amqp {
            let handler = PaymentEventHandler(tenants: tenants, store: billing.store, logger: logger)
            services.append(
                InboxConsumer(
                    queue: configuration.paymentsQueue, bindings: [.paymentSucceeded, .paymentFailed, .paymentRefunded], connection: amqp, database: database,
                    exchange: configuration.exchange, logger: logger, ready: ready, handler: handler.handle
                ))
        }
        if configuration.billingIntervalSeconds > 0 {
            services.append(RecurringJob(every: .seconds(configuration.billingIntervalSeconds), ready: ready) { await billing.scheduledRound() })
        }
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "koni-tenant"),
            services: services,
            logger: logger
        )
        app.beforeServerStarts(perform: Migrator.startupStep(database: database, migrations: TenantMigrations.all, ready: ready, logger: logger))
        return app
    }

    /// Runs the service until SIGTERM or SIGINT.
    package static func run(configuration: TenantConfiguration, logger: Logger) async throws {
        try await ServiceStart.runWithBroker(
            name: "tenant-service", amqpURL: configuration.amqpURL, exchange: configuration.exchange, port: configuration.port, logger: logger
        ) { publisher, amqp in
            try await makeApplication(configuration: configuration, publisher: publisher, amqp: amqp, logger: logger)
        }
    }
}
