import Hummingbird
import Metrics
import Prometheus

/// A service's Prometheus registry and the swift-metrics factory that feeds it.
///
/// Each service instance owns one (rather than the process-wide `MetricsSystem`), so that tests
/// can run several services in one process and read each one's `/metrics`.
public struct ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
    }

    /// The exposition text of every metric.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}

/// Counts requests and times them by method, route (the pattern, not the raw path, so that the
/// number of series stays bounded) and status.
public struct MetricsMiddleware: RouterMiddleware {
    public typealias Context = KoniRequestContext
    let metrics: ServiceMetrics

    public init(metrics: ServiceMetrics) {
        self.metrics = metrics
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status, since: start)
            return response
        } catch {
            // A thrown error is answered by the trace middleware outside this one (an
            // `HTTPResponseError` with its status, anything else as 500): count it the same way.
            record(request, context, status: (error as? any HTTPResponseError)?.status ?? .internalServerError, since: start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        let dimensions = [
            ("method", request.method.rawValue), ("route", context.endpointPath ?? "unmatched"), ("status", String(status.code)),
        ]
        Counter(label: "http_requests_total", dimensions: dimensions, factory: metrics.factory).increment()
        Metrics.Timer(label: "http_request_duration_seconds", dimensions: Array(dimensions.dropLast()), factory: metrics.factory)
            .recordInterval(since: start)
    }
}

extension Metrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
