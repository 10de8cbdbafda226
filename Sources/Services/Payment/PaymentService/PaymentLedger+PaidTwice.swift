import Foundation
import KoniServiceKit
import PostgresNIO

extension PaymentLedger {
    /// The idempotency key of the refund that returns a second payment for one owner: one per
    /// charge, however often Midtrans reports its settlement.
    static let paidTwiceRefundKey = "paid-twice"

    /// A charge that had failed is paid after all (Snap lets a customer try again on the same page)
    /// while another charge of its owner is live. Never are both kept: a later charge that is not
    /// paid yet is dropped, so this one pays the owner; when the other is paid too, this one's
    /// money goes back in full (a refund the ledger sends itself). Returns the settlement to save
    /// and the refund to send after the transaction, if any.
    func settlePaidAfterFailure(
        _ settlement: PaymentSettlement, orderID: String, live: PaymentRecord, on connection: PostgresConnection
    ) async throws -> (settlement: PaymentSettlement, refund: RefundRecord?) {
        let payment = settlement.payment
        if live.status == .pending {
            var superseded = live
            superseded.status = .failed
            superseded.failureReason = "superseded: the earlier charge \(payment.id) was paid"
            try await store.saveSettlement(superseded, on: connection)
            logger.warning(
                "an earlier charge was paid after all; the owner's later charge, not paid, is dropped",
                metadata: ["payment_id": "\(payment.id)", "dropped_payment_id": "\(live.id)", "owner": "\(payment.ownerKind.rawValue)/\(payment.ownerID)"]
            )
            return (settlement, nil)
        }
        var duplicate = payment
        duplicate.status = .failed
        duplicate.orderID = orderID
        duplicate.failureReason = "paid twice: charge \(live.id) already paid the owner; this payment is refunded in full"
        var refund = try await store.refund(paymentID: payment.id, idempotencyKey: Self.paidTwiceRefundKey, on: connection)
        if refund == nil {
            let record = RefundRecord.pending(
                paymentID: payment.id, amount: payment.amount, reason: "paid twice: charge \(live.id) already paid the owner",
                idempotencyKey: Self.paidTwiceRefundKey, requestedBy: "payment-service"
            )
            try await store.insertRefund(record, on: connection)
            refund = record
            logger.error(
                "an owner paid twice; the second payment is refunded in full",
                metadata: ["payment_id": "\(payment.id)", "paid_payment_id": "\(live.id)", "owner": "\(payment.ownerKind.rawValue)/\(payment.ownerID)"]
            )
        }
        let outcome = "refunding: paid twice, charge \(live.id) already paid the owner"
        return (PaymentSettlement(payment: duplicate, events: [], outcome: outcome, refundKeys: []), refund?.status == .pending ? refund : nil)
    }
}
