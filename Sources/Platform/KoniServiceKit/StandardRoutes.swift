import Hummingbird
import KoniJSON
import KoniMetrics

extension Router where Context == KoniRequestContext {
    /// The router every KONI service starts from: trace ids and access lines, request metrics,
    /// then `/healthz`, `/readyz` and `/metrics`.
    public static func koniService(database: Database, ready: ReadyGate, metrics: ServiceMetrics) -> Router<KoniRequestContext> {
        let router = Router(context: KoniRequestContext.self)
        router.add(middleware: TraceMiddleware())
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.addStandardRoutes(database: database, ready: ready, metrics: metrics)
        return router
    }

    /// `/internal/…`, closed to callers without one of `keys` (``ServiceKeyMiddleware``).
    public func internalRoutes(keys: [String]) throws(ConfigurationError) -> RouterGroup<KoniRequestContext> {
        group("/internal").add(middleware: try ServiceKeyMiddleware<KoniRequestContext>(keys: keys))
    }

    /// `/healthz` (the process answers), `/readyz` (the database answers and migrations ran)
    /// and `/metrics` (Prometheus text format).
    public func addStandardRoutes(database: Database, ready: ReadyGate, metrics: ServiceMetrics) {
        get("/healthz") { _, _ in Response.json(.object([("status", .string("ok"))])) }
        get("/readyz") { _, _ in
            guard ready.isOpen, await database.isReachable() else {
                return Response.json(.object([("status", .string("unavailable"))]), status: .serviceUnavailable)
            }
            return Response.json(.object([("status", .string("ready"))]))
        }
        get("/metrics") { _, _ in Response.metrics(metrics) }
    }
}
