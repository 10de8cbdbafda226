import Foundation
import KoniServiceKit
import Logging
import Midtrans
import PostgresNIO

/// The Payment service's operations, independent of HTTP: charging through Snap, settling a
/// charge from what Midtrans says, refunding. The API, the webhook and the reconciler call it.
struct PaymentLedger: Sendable {
    let database: Database
    let store: PaymentStore
    let midtrans: MidtransClient
    let relay: OutboxRelay?
    let logger: Logger

    /// Runs `body` in a write transaction and wakes the outbox relay after it committed.
    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let result = try await database.transaction(.readWrite, body)
        relay?.notify()
        return result
    }

    /// The outbox events of `settlement`.
    static func outboxEvents(_ settlement: PaymentSettlement, traceID: String) -> [OutboxEvent] {
        settlement.events.map { event in
            switch event {
            case .succeeded: PaymentEvents.succeeded(settlement.payment, traceID: traceID)
            case .failed: PaymentEvents.failed(settlement.payment, traceID: traceID)
            case .refunded(let amount): PaymentEvents.refunded(settlement.payment, amount: amount, traceID: traceID)
            }
        }
    }

    /// Asks Midtrans for the transaction `orderID` and applies what it says to the charge that
    /// used the order id, in one transaction with the charge locked; `notification` (the
    /// transaction status a webhook call claimed) is kept in the audit trail. Returns the outcome,
    /// nil when no charge used `orderID`.
    func settle(orderID: String, notification: String?, traceID: String) async throws -> String? {
        let status = try await midtrans.status(orderID: orderID)
        if let status, status.orderID != orderID {
            throw MidtransError.malformed("the status of \(orderID) names order \(status.orderID.prefix(60))")
        }
        let (outcome, refund) = try await write { connection -> (String?, RefundRecord?) in
            guard let payment = try await store.payment(orderID: orderID, on: connection) else { return (nil, nil) }
            var outcome = "unchanged: Midtrans has no transaction yet"
            var refund: RefundRecord?
            if let status {
                var settlement = PaymentSettlement.apply(status, to: payment)
                if settlement.events.contains(.succeeded), payment.status == .failed,
                    let live = try await store.livePayment(ownerKind: payment.ownerKind, ownerID: payment.ownerID, on: connection), live.id != payment.id
                {
                    (settlement, refund) = try await settlePaidAfterFailure(settlement, orderID: orderID, live: live, on: connection)
                }
                // Refunds go to the order that was paid, which may be an earlier attempt's.
                if settlement.events.contains(.succeeded) { settlement.payment.orderID = orderID }
                if settlement.payment.status != payment.status || settlement.payment.failureReason != payment.failureReason || !settlement.events.isEmpty {
                    try await store.saveSettlement(settlement.payment, on: connection)
                }
                try await store.markRefundsMade(keys: settlement.refundKeys, paymentID: payment.id, on: connection)
                for event in Self.outboxEvents(settlement, traceID: traceID) { try await Outbox.add(event, on: connection, logger: logger) }
                outcome = settlement.outcome
            }
            if let notification {
                try await store.recordNotification(orderID: orderID, transactionStatus: notification, signatureValid: true, outcome: outcome, on: connection)
            }
            return (outcome, refund)
        }
        // Sent after the commit, like an admin's refund; if Midtrans does not answer now, the
        // reconciler sends it again under the same refund_key.
        if let refund {
            do { try await resumeRefund(refund, traceID: traceID) } catch {
                logger.warning("the refund of a second payment waits for the reconciler", metadata: ["refund_id": "\(refund.id)", "error": "\(error)"])
            }
        }
        return outcome
    }

    /// Fails a charge whose payment page was never used: created longer ago than Snap's page lives,
    /// and Midtrans knows none of its orders. Its owner gets `payment.failed` and may charge again.
    /// Returns whether it was failed.
    func failIfAbandoned(_ payment: PaymentRecord, traceID: String) async throws -> Bool {
        let orders = try await database.client.withConnection { try await store.orderIDs(of: payment.id, on: $0) }
        for order in orders where try await midtrans.status(orderID: order) != nil {
            // Midtrans has a transaction: settling follows what it says instead.
            _ = try await settle(orderID: order, notification: nil, traceID: traceID)
            return false
        }
        return try await write { connection -> Bool in
            guard var locked = try await store.payment(id: payment.id, lock: true, on: connection), locked.status == .pending else { return false }
            locked.status = .failed
            locked.failureReason = "expired: the payment page was never used"
            try await store.saveSettlement(locked, on: connection)
            try await Outbox.add(PaymentEvents.failed(locked, traceID: traceID), on: connection, logger: logger)
            return true
        }
    }
}
