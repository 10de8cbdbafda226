import Hummingbird
import HummingbirdTesting
import KoniMetrics
import Testing

/// Request metrics through a real router: counted by method, route pattern and status, errors
/// included, each registry its own.
@Suite struct MetricsMiddlewareTests {
    struct Broken: Error {}

    @Test func requestsAreCountedByRoutePatternAndStatusErrorsIncluded() async throws {
        let metrics = ServiceMetrics()
        let router = Router()
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.get("/items/{id}") { _, _ in "ok" }
        router.get("/refused") { _, _ -> String in throw HTTPError(.badRequest) }
        router.get("/broken") { _, _ -> String in throw Broken() }
        router.get("/metrics") { _, _ in Response.metrics(metrics) }
        let app = Application(router: router)
        try await app.test(.router) { client in
            for path in ["/items/1", "/items/2", "/refused", "/broken", "/nowhere"] {
                _ = try await client.execute(uri: path, method: .get) { $0.status }
            }
            let (type, text) = try await client.execute(uri: "/metrics", method: .get) { ($0.headers[.contentType], String(buffer: $0.body)) }
            #expect(type == ServiceMetrics.contentType)
            for line in [
                #"http_requests_total{method="GET",route="/items/{id}",status="200"} 2"#,
                #"http_requests_total{method="GET",route="/refused",status="400"} 1"#,
                #"http_requests_total{method="GET",route="/broken",status="500"} 1"#,
                #"http_requests_total{method="GET",route="NotFound",status="404"} 1"#,
                #"http_request_duration_seconds_count{method="GET",route="/items/{id}"} 2"#,
            ] {
                #expect(text.contains(line), "\(line)\n\(text)")
            }
            #expect(!text.contains("/items/1"), "the raw path is never a label: series stay bounded")
        }
        #expect(!String(decoding: ServiceMetrics().exposition(), as: UTF8.self).contains("http_requests_total{"), "a new registry starts empty")
    }
}
