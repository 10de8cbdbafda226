import Hummingbird
import KoniAMQP
import KoniBranches
import KoniPassword
import KoniRedis
import KoniServiceKit
import Logging
import ServiceLifecycle

/// Assembles the Auth service: PostgreSQL, Redis, the signing keys, the HTTP API and login
/// pages, the outbox relay and the `athlete.registered` consumer, as one Hummingbird application
/// whose service group shuts down in order on SIGTERM.
package enum AuthServer {
    /// The application, ready to `run()` or to test. `amqp` nil leaves the consumer out (tests of the HTTP API).
    package static func makeApplication(
        configuration: AuthConfiguration, publisher: any OutboxPublisher, amqp: AMQPConnection?, logger: Logger, metrics: ServiceMetrics = ServiceMetrics()
    ) async throws -> some ApplicationProtocol {
        let database = try Database(url: configuration.databaseURL, logger: logger)
        let redis = RedisClient(configuration: try RedisConfiguration(url: configuration.redisURL), logger: logger)
        let issuer = try await TokenIssuer(
            keysDirectory: configuration.keysDirectory, issuer: configuration.issuer, audience: configuration.audience,
            lifetime: configuration.accessLifetime, logger: logger
        )
        // The service verifies its own tokens the way every other service does: by JWKS (read in-process here).
        let keySet = JWKSKeySet(logger: logger) { issuer.jwks }
        let verifier = try JWTVerifier(keySet: keySet, expectations: .init(issuer: configuration.issuer, audience: configuration.audience))
        let branches = LiveBranchRegistry(folders: try BranchRegistry.load(tenantsDirectory: configuration.tenantsDirectory))
        let tenantBranches = TenantBranchStore(logger: logger)
        let ready = ReadyGate()
        let relay = OutboxRelay(database: database, publisher: publisher, settings: configuration.relay, ready: ready, metrics: metrics, logger: logger)
        var throttle = LoginThrottle(redis: redis, prefix: configuration.redisKeyPrefix)
        throttle.accountFailures = configuration.accountFailures
        throttle.addressAttempts = configuration.addressAttempts
        let users = UserStore(logger: logger)
        let api = AuthAPI(
            database: database, users: users, refreshTokens: RefreshTokenStore(logger: logger, lifetime: configuration.refreshLifetime),
            sso: SSOStore(redis: redis, prefix: configuration.redisKeyPrefix, codeLifetime: configuration.codeLifetime), throttle: throttle,
            hasher: PasswordHasher(parameters: configuration.passwordParameters), issuer: issuer,
            branches: branches, settings: configuration, relay: relay
        )

        let router = Router<KoniRequestContext>.koniService(database: database, ready: ready, metrics: metrics)
        try api.register(on: router, verifier: verifier, serviceKeys: configuration.serviceKeys)

        var services: [any Service] = [database.client, redis, relay, KeyRingWatcher(issuer: issuer, interval: configuration.keyReloadInterval)]
        if let amqp {
            services.append(
                AthleteRegisteredConsumer.make(
                    queue: configuration.athletesQueue, connection: amqp, database: database, users: users, branches: branches,
                    exchange: configuration.exchange, logger: logger
                ))
            services.append(
                TenantEventsConsumer.make(
                    queue: configuration.tenantsQueue, connection: amqp, database: database, store: tenantBranches, registry: branches,
                    exchange: configuration.exchange, ready: ready, logger: logger
                ))
        }
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "koni-auth"),
            services: services,
            logger: logger
        )
        app.beforeServerStarts(perform: Migrator.startupStep(database: database, migrations: AuthMigrations.all, ready: ready, logger: logger))
        // The branches the Tenant service announced before this start, before the first login.
        app.beforeServerStarts {
            guard await ready.wait() else { return }
            try await database.client.withConnection { try await tenantBranches.refresh(branches, on: $0) }
        }
        return app
    }

    /// Runs the service until SIGTERM or SIGINT.
    package static func run(configuration: AuthConfiguration, logger: Logger) async throws {
        try await ServiceStart.runWithBroker(
            name: "auth-service", amqpURL: configuration.amqpURL, exchange: configuration.exchange, port: configuration.port, logger: logger
        ) { publisher, amqp in
            try await makeApplication(configuration: configuration, publisher: publisher, amqp: amqp, logger: logger)
        }
    }
}
