import Hummingbird
import KoniBranches
import KoniRedis
import KoniServiceKit
import Logging
import ServiceLifecycle

/// Assembles the branch admin: Redis for sessions, the Auth service (exchange, refresh, JWKS),
/// the CMS, and the pages.
package enum AdminServer {
    package static func makeApplication(configuration: AdminConfiguration, logger: Logger, metrics: ServiceMetrics = ServiceMetrics()) async throws
        -> some ApplicationProtocol
    {
        let redis = RedisClient(configuration: try RedisConfiguration(url: configuration.redisURL), logger: logger)
        let keySet = try JWKSKeySet(url: configuration.authURL + "/.well-known/jwks.json", logger: logger)
        let api = AdminAPI(
            sessions: AdminSessionStore(redis: redis, prefix: configuration.redisKeyPrefix, lifetime: configuration.sessionLifetime),
            branches: try BranchRegistry.load(tenantsDirectory: configuration.tenantsDirectory),
            auth: UpstreamClient(baseURL: configuration.authURL), cms: UpstreamClient(baseURL: configuration.cmsURL),
            daemon: configuration.daemonURL.map { UpstreamClient(baseURL: $0) },
            verifier: try JWTVerifier(keySet: keySet, expectations: configuration.jwtExpectations), settings: configuration
        )
        let router = Router(context: KoniRequestContext.self)
        router.add(middleware: TraceMiddleware())
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.get("/healthz") { _, _ in Response(status: .ok) }
        api.register(on: router)
        return Application(
            router: router, configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "koni-admin"),
            services: [redis], logger: logger
        )
    }

    package static func run(configuration: AdminConfiguration, logger: Logger) async throws {
        let app = try await makeApplication(configuration: configuration, logger: logger)
        logger.info("compro-admin starting", metadata: ["port": .stringConvertible(configuration.port)])
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
