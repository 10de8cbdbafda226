import Hummingbird
import KoniJSON

extension Router where Context == KoniRequestContext {
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
        get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
            )
        }
    }
}
