import Metrics

/// Every metric the revalidation daemon records, in one place: the names (what `/metrics` shows
/// and docs/revalidation.md lists), their dimensions and units. Callers say what happened; the
/// label strings are spelled only here.
///
/// The metrics go to the factory given (in `koni-compro serve`, the factory of the daemon's
/// `ServiceMetrics`, which `/metrics` serves), not to the process-wide `MetricsSystem`, so that a
/// test can run a daemon and read what it recorded.
package struct DaemonMetrics: Sendable {
    let factory: any MetricsFactory

    package init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Records nothing: for one-shot commands and tests that do not read metrics.
    package static let discarded = DaemonMetrics(factory: NOOPMetricsHandler.instance)

    /// Where an event came from.
    package enum Source: String, Sendable {
        case amqp, webhook, watch
    }

    package func eventReceived(_ source: Source) {
        Counter(label: "koni_events_received_total", dimensions: [("source", source.rawValue)], factory: factory).increment()
    }

    package func eventDeadLettered() { Counter(label: "koni_events_dead_lettered_total", factory: factory).increment() }

    /// Seconds from an event's `occurred_at` to its handling (already clamped by the caller).
    package func queueLag(seconds: Double) {
        Timer(label: "koni_queue_lag_seconds", preferredDisplayUnit: .seconds, factory: factory).recordSeconds(seconds)
    }

    /// A webhook request refused, by reason (`busy`, `stale`, `forged`, …: a closed set of the verifier's failures).
    package func webhookRefused(_ reason: String) {
        Counter(label: "koni_webhook_refused_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// One regeneration published for `tenant`: pages rendered, files written, and its time.
    package func regenerated(tenant: String, rendered: Int, written: Int, since started: ContinuousClock.Instant) {
        Counter(label: "koni_pages_rendered_total", dimensions: [("tenant", tenant)], factory: factory).increment(by: rendered)
        Counter(label: "koni_files_written_total", dimensions: [("tenant", tenant)], factory: factory).increment(by: written)
        Timer(label: "koni_publish_latency_seconds", dimensions: [("tenant", tenant)], preferredDisplayUnit: .seconds, factory: factory)
            .record(duration: ContinuousClock.now - started)
    }

    package func regenerationFailed(tenant: String) {
        Counter(label: "koni_regeneration_failures_total", dimensions: [("tenant", tenant)], factory: factory).increment()
    }

    /// A release went live but could not be synced to disk.
    package func unsyncedSwap(tenant: String) {
        Counter(label: "koni_unsynced_swaps_total", dimensions: [("tenant", tenant)], factory: factory).increment()
    }

    package func compactionFailed(tenant: String) {
        Counter(label: "koni_compaction_failures_total", dimensions: [("tenant", tenant)], factory: factory).increment()
    }
}
