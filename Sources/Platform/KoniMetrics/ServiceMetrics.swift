import Metrics
import Prometheus

/// A process's Prometheus registry and the swift-metrics factory that feeds it: what every KONI
/// service and the revalidation daemon record into and serve on `/metrics`.
///
/// Each service instance owns one (rather than the process-wide `MetricsSystem`), so that tests
/// can run several services in one process and read each one's `/metrics`.
public struct ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // From a fast request (0.5 ms) to a full rebuild or a queue that lagged (a minute).
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
            .seconds(10), .seconds(30), .seconds(60),
        ]
        self.factory = factory
    }

    /// The `Content-Type` of ``exposition()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition text of every metric.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}
