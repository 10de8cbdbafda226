import Foundation
import Midtrans

/// What Midtrans's word on a transaction does to a charge: the one state machine behind the
/// notification webhook, the refund route and the reconciler.
///
/// It is a pure function of the charge as stored (its row locked by the caller) and of the
/// status *as read from Midtrans's status endpoint*, so that applying the same status twice, or
/// an older status after a newer one, changes nothing the second time: events come from
/// transitions, and a charge moves only forward (pending → paid → refunded; pending → failed;
/// failed → paid, because Snap lets a customer try another card after a denial).
struct PaymentSettlement: Sendable, Equatable {
    /// The charge after the status.
    var payment: PaymentRecord
    /// The events the transition announces (none when nothing changed).
    var events: [Event]
    /// For the audit trail: `paid`, `failed`, `refunded`, `unchanged`, `ignored: …`.
    var outcome: String
    /// Refund keys Midtrans reports as made.
    var refundKeys: [String]

    enum Event: Sendable, Equatable {
        case succeeded
        case failed
        case refunded(amount: Int64)
    }

    static func == (lhs: PaymentSettlement, rhs: PaymentSettlement) -> Bool {
        lhs.events == rhs.events && lhs.outcome == rhs.outcome && lhs.payment.status == rhs.payment.status
            && lhs.payment.refundedAmount == rhs.payment.refundedAmount && lhs.refundKeys == rhs.refundKeys
    }

    /// Applies `status` to `payment`.
    static func apply(_ status: TransactionStatus, to payment: PaymentRecord, now: Date = Date()) -> PaymentSettlement {
        var next = payment
        var events: [Event] = []
        let unchanged = PaymentSettlement(payment: payment, events: [], outcome: "unchanged", refundKeys: [])
        guard status.grossAmount == payment.amount else {
            return PaymentSettlement(
                payment: payment, events: [], outcome: "ignored: Midtrans reports \(status.grossAmount) for a charge of \(payment.amount)", refundKeys: []
            )
        }
        guard let outcome = status.outcome else {
            return PaymentSettlement(
                payment: payment, events: [], outcome: "ignored: undocumented status \(status.transactionStatus.prefix(40))", refundKeys: [])
        }
        func markPaid() {
            next.status = .paid
            next.paidAt = next.paidAt ?? now
            next.failureReason = nil
            next.paymentType = status.paymentType ?? next.paymentType
            next.transactionID = status.transactionID ?? next.transactionID
            events.append(.succeeded)
        }
        switch outcome {
        case .pending:
            return unchanged
        case .paid:
            guard !payment.status.isPaid, payment.status != .refunded else { return unchanged }
            markPaid()
        case .failed(let reason):
            guard payment.status == .pending else {
                // Money that was received does not un-arrive; a failed charge stays failed.
                return payment.status == .failed
                    ? unchanged
                    : PaymentSettlement(
                        payment: payment, events: [], outcome: "ignored: \(status.transactionStatus) after \(payment.status.rawValue)", refundKeys: [])
            }
            next.status = .failed
            next.failureReason = reason
            events.append(.failed)
        case .refunded:
            if payment.status == .pending || payment.status == .failed { markPaid() }
        }
        // Refunds: Midtrans's total is the truth; the charge's total only grows.
        let reported = min(status.refundedAmount, payment.amount)
        if reported > next.refundedAmount {
            events.append(.refunded(amount: reported - next.refundedAmount))
            next.refundedAmount = reported
        }
        if next.refundedAmount > 0 { next.status = next.refundedAmount == next.amount ? .refunded : .partiallyRefunded }
        let keys = status.refunds.compactMap(\.key)
        guard !events.isEmpty || next.status != payment.status else {
            return PaymentSettlement(payment: payment, events: [], outcome: "unchanged", refundKeys: keys)
        }
        return PaymentSettlement(payment: next, events: events, outcome: next.status.rawValue, refundKeys: keys)
    }
}
