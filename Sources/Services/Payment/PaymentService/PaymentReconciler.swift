import Foundation
import KoniServiceKit
import Logging
import Midtrans
import ServiceLifecycle

/// Asks Midtrans about charges that have been pending for a while, so that a notification that
/// never came (Midtrans gives up after a few retries; our service may have been down) does not
/// leave a paid invoice unpaid. Runs every ``Settings/interval`` until graceful shutdown.
struct PaymentReconciler: Service {
    struct Settings: Sendable {
        /// Between rounds.
        var interval: Duration = .seconds(60)
        /// A charge is looked at once nothing has moved it for this long.
        var idleSeconds = 120
        /// Charges looked at per round.
        var batch = 50
    }

    let ledger: PaymentLedger
    let settings: Settings
    let ready: ReadyGate
    let metrics: PaymentMetrics

    func run() async throws {
        guard await ready.wait() else { return }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await round()
                try? await Task.sleep(for: settings.interval)
            }
        }
    }

    /// One round; returns how many charges it looked at.
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
                let outcome = try await ledger.settle(orderID: payment.orderID, notification: nil, traceID: UUID().uuidString.lowercased())
                try await ledger.database.transaction { try await ledger.store.touch(payment.id, on: $0) }
                metrics.reconciled.increment()
                if let outcome, !outcome.hasPrefix("unchanged") {
                    ledger.logger.info("payment settled by the reconciler", metadata: ["payment_id": "\(payment.id)", "outcome": "\(outcome)"])
                }
            } catch {
                ledger.logger.warning("reconciler could not settle a payment", metadata: ["payment_id": "\(payment.id)", "error": "\(error)"])
            }
        }
        return looked
    }
}
