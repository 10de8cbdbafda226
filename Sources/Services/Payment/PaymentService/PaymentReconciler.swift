import Foundation
import KoniServiceKit
import Logging
import Midtrans

/// Asks Midtrans about what is left waiting, each ``round()`` (a ``RecurringJob`` every
/// ``Settings/interval`` until graceful shutdown):
/// charges pending for a while (a notification that never came must not leave a paid invoice
/// unpaid; every order id a charge used is asked about), charges whose payment page expired
/// unused (failed, so that the owner can charge again), and refunds whose call had no answer
/// (sent again with the same `refund_key`).
struct PaymentReconciler: Sendable {
    struct Settings: Sendable {
        /// Between rounds.
        var interval: Duration = .seconds(60)
        /// A charge is looked at once nothing has moved it for this long.
        var idleSeconds = 120
        /// Charges looked at per round.
        var batch = 50
        /// A pending charge older than this whose orders Midtrans does not know is failed (Snap's
        /// page lives 24 hours).
        var abandonAfterSeconds = 25 * 3600
    }

    let ledger: PaymentLedger
    let settings: Settings
    let metrics: PaymentMetrics

    /// Charges whose payment page expired unused.
    func failAbandoned() async {
        guard
            let old = try? await ledger.database.client.withConnection({ connection in
                try await ledger.store.oldPending(ageSeconds: settings.abandonAfterSeconds, limit: settings.batch, on: connection)
            })
        else { return }
        for payment in old {
            if Task.isCancelled || ledger.midtrans.breaker.isOpen { return }
            do {
                if try await ledger.failIfAbandoned(payment, traceID: UUID().uuidString.lowercased()) {
                    ledger.logger.info("an unused payment page expired; the charge failed", metadata: ["payment_id": "\(payment.id)"])
                }
            } catch {
                ledger.logger.warning("reconciler could not look at an old payment", metadata: ["payment_id": "\(payment.id)", "error": "\(error)"])
            }
        }
    }

    /// Refunds whose call to Midtrans had no answer.
    func resumeRefunds() async {
        guard
            let refunds = try? await ledger.database.client.withConnection({ connection in
                try await ledger.store.stalePendingRefunds(idleSeconds: settings.idleSeconds, limit: settings.batch, on: connection)
            })
        else { return }
        for refund in refunds {
            if Task.isCancelled || ledger.midtrans.breaker.isOpen { return }
            do { try await ledger.resumeRefund(refund, traceID: UUID().uuidString.lowercased()) } catch {
                ledger.logger.warning("reconciler could not resume a refund", metadata: ["refund_id": "\(refund.id)", "error": "\(error)"])
            }
        }
    }

    /// One round; returns how many pending charges it looked at.
    @discardableResult
    func round() async -> Int {
        let stale: [PaymentRecord]
        do {
            stale = try await ledger.database.client.withConnection { connection in
                try await ledger.store.stalePending(idleSeconds: settings.idleSeconds, limit: settings.batch, on: connection)
            }
        } catch {
            ledger.logger.warning("reconciler cannot read pending payments", metadata: ["error": "\(error)"])
            return 0
        }
        var looked = 0
        for payment in stale {
            if Task.isCancelled || ledger.midtrans.breaker.isOpen { break }
            looked += 1
            do {
                let orders = try await ledger.database.client.withConnection { try await ledger.store.orderIDs(of: payment.id, on: $0) }
                for order in orders {
                    let outcome = try await ledger.settle(orderID: order, notification: nil, traceID: UUID().uuidString.lowercased())
                    if let outcome, !outcome.hasPrefix("unchanged") {
                        ledger.logger.info(
                            "payment settled by the reconciler", metadata: ["payment_id": "\(payment.id)", "order_id": "\(order)", "outcome": "\(outcome)"])
                    }
                }
                try await ledger.database.transaction { try await ledger.store.touch(payment.id, on: $0) }
                metrics.reconciled.increment()
            } catch {
                ledger.logger.warning("reconciler could not settle a payment", metadata: ["payment_id": "\(payment.id)", "error": "\(error)"])
            }
        }
        await failAbandoned()
        await resumeRefunds()
        return looked
    }
}
