import Foundation
import Metrics

/// Every metric the revalidation daemon records, in one place: the names (what `/metrics` shows
/// and docs/revalidation.md lists), their dimensions and units. Callers say what happened; the
/// label strings are spelled only here.
public enum DaemonMetrics {
    /// Where an event came from.
    public enum Source: String, Sendable {
        case amqp, webhook, watch
    }

    public static func eventReceived(_ source: Source) {
        Counter(label: "koni_events_received_total", dimensions: [("source", source.rawValue)]).increment()
    }

    public static func eventDeadLettered() { Counter(label: "koni_events_dead_lettered_total").increment() }

    /// Seconds from an event's `occurred_at` to its handling (already clamped by the caller).
    public static func queueLag(seconds: Double) {
        Timer(label: "koni_queue_lag_seconds", preferredDisplayUnit: .seconds).recordNanoseconds(Int64(seconds * 1e9))
    }

    /// A webhook request refused, by reason (`busy`, `stale`, `forged`, …: a closed set of the verifier's failures).
    public static func webhookRefused(_ reason: String) {
        Counter(label: "koni_webhook_refused_total", dimensions: [("reason", reason)]).increment()
    }

    /// One regeneration published for `tenant`: pages rendered, files written, and its time.
    public static func regenerated(tenant: String, rendered: Int, written: Int, since started: ContinuousClock.Instant) {
        Counter(label: "koni_pages_rendered_total", dimensions: [("tenant", tenant)]).increment(by: rendered)
        Counter(label: "koni_files_written_total", dimensions: [("tenant", tenant)]).increment(by: written)
        Timer(label: "koni_publish_latency_seconds", dimensions: [("tenant", tenant)], preferredDisplayUnit: .seconds).recordInterval(since: started)
    }

    public static func regenerationFailed(tenant: String) {
        Counter(label: "koni_regeneration_failures_total", dimensions: [("tenant", tenant)]).increment()
    }

    /// A release went live but could not be synced to disk.
    public static func unsyncedSwap(tenant: String) {
        Counter(label: "koni_unsynced_swaps_total", dimensions: [("tenant", tenant)]).increment()
    }

    public static func compactionFailed(tenant: String) {
        Counter(label: "koni_compaction_failures_total", dimensions: [("tenant", tenant)]).increment()
    }
}
