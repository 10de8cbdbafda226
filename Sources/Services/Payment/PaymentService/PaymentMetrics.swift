import KoniServiceKit
import Metrics

/// The Payment service's own counters, beside the request metrics every service has.
struct PaymentMetrics: Sendable {
    struct Notifications: Sendable {
        let accepted: Counter
        let forged: Counter
        let refused: Counter
        let unknown: Counter
        let deferred: Counter
    }

    let notifications: Notifications
    let reconciled: Counter

    init(_ metrics: ServiceMetrics) {
        func counter(_ outcome: String) -> Counter {
            Counter(label: "koni_payment_notifications_total", dimensions: [("outcome", outcome)], factory: metrics.factory)
        }
        notifications = Notifications(
            accepted: counter("accepted"), forged: counter("bad_signature"), refused: counter("malformed"), unknown: counter("unknown_order"),
            deferred: counter("midtrans_unavailable")
        )
        reconciled = Counter(label: "koni_payment_reconciled_total", dimensions: [], factory: metrics.factory)
    }
}
