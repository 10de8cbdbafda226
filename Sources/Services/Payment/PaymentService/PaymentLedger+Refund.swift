import Foundation
import KoniServiceKit
import Midtrans
import PostgresNIO

/// A refund as an admin asks for it.
struct RefundRequest: Sendable {
    var paymentID: UUID
    /// nil: everything not yet refunded.
    var amount: Int64?
    var reason: String
    var idempotencyKey: String
    var requestedBy: String
}

extension PaymentLedger {
    enum RefundError: Error, Sendable {
        case noSuchPayment
        case notPaid(PaymentStatus)
        case amountTooLarge(requested: Int64, refundable: Int64)
        case keyReused
        case midtransUnavailable(String)
        case midtransRefused([String])
    }

    /// Refunds through Midtrans (its `refund_key` is the refund's id, so a retry with the same
    /// idempotency key cannot refund twice), then records it and announces `payment.refunded`.
    func refund(_ request: RefundRequest, traceID: String) async throws -> (refund: RefundRecord, payment: PaymentRecord) {
        let prepared = try await write { connection -> (refund: RefundRecord, payment: PaymentRecord) in
            guard let payment = try await store.payment(id: request.paymentID, lock: true, on: connection) else { throw RefundError.noSuchPayment }
            if let existing = try await store.refund(paymentID: payment.id, idempotencyKey: request.idempotencyKey, on: connection) {
                guard existing.amount == request.amount ?? existing.amount, existing.reason == request.reason else { throw RefundError.keyReused }
                return (existing, payment)
            }
            guard payment.status.isPaid else { throw RefundError.notPaid(payment.status) }
            let refundable = payment.amount - payment.refundedAmount - (try await store.pendingRefundTotal(paymentID: payment.id, on: connection))
            let amount = request.amount ?? refundable
            guard amount >= 1, amount <= refundable else { throw RefundError.amountTooLarge(requested: amount, refundable: max(0, refundable)) }
            let refund = RefundRecord.pending(
                paymentID: payment.id, amount: amount, reason: request.reason, idempotencyKey: request.idempotencyKey, requestedBy: request.requestedBy
            )
            try await store.insertRefund(refund, on: connection)
            return (refund, payment)
        }
        guard prepared.refund.status == .pending else { return prepared }
        do {
            try await midtrans.refund(
                orderID: prepared.payment.orderID, refundKey: prepared.refund.refundKey, amount: prepared.refund.amount, reason: prepared.refund.reason)
        } catch {
            switch error {
            case .unavailable(let reason), .malformed(let reason): throw RefundError.midtransUnavailable(reason)
            case .refused(_, let messages):
                try await write { try await store.setRefundStatus(prepared.refund.id, .failed, failureReason: messages.joined(separator: "; "), on: $0) }
                throw RefundError.midtransRefused(messages)
            }
        }
        return try await completeRefund(paymentID: prepared.payment.id, refundID: prepared.refund.id, traceID: traceID)
    }

    /// Records a refund Midtrans accepted: the refund succeeded, the charge's refunded total, and
    /// `payment.refunded`, once (a notification may have recorded it meanwhile, by its key).
    func completeRefund(paymentID: UUID, refundID: UUID, traceID: String) async throws -> (refund: RefundRecord, payment: PaymentRecord) {
        try await write { connection in
            guard let payment = try await store.payment(id: paymentID, lock: true, on: connection),
                var refund = try await store.refund(id: refundID, on: connection)
            else { throw RefundError.noSuchPayment }
            guard refund.status == .pending else { return (refund, payment) }
            refund.status = .succeeded
            try await store.setRefundStatus(refund.id, .succeeded, failureReason: nil, on: connection)
            var next = payment
            let added = min(refund.amount, payment.amount - payment.refundedAmount)
            next.refundedAmount += added
            next.status = next.refundedAmount == next.amount ? .refunded : .partiallyRefunded
            try await store.saveSettlement(next, on: connection)
            if added > 0 { try await Outbox.add(PaymentEvents.refunded(next, amount: added, traceID: traceID), on: connection, logger: logger) }
            return (refund, next)
        }
    }

    /// Sends a refund that is still pending again (its `refund_key` makes that safe) and records
    /// the answer: what the reconciler does for refunds whose first call's outcome is unknown.
    func resumeRefund(_ refund: RefundRecord, traceID: String) async throws {
        guard let payment = try await database.client.withConnection({ try await store.payment(id: refund.paymentID, on: $0) }) else { return }
        do {
            try await midtrans.refund(orderID: payment.orderID, refundKey: refund.refundKey, amount: refund.amount, reason: refund.reason)
        } catch {
            switch error {
            case .unavailable, .malformed:
                try await write { try await store.touchRefund(refund.id, on: $0) }
                return
            case .refused(_, let messages):
                try await write { try await store.setRefundStatus(refund.id, .failed, failureReason: messages.joined(separator: "; "), on: $0) }
                return
            }
        }
        _ = try await completeRefund(paymentID: payment.id, refundID: refund.id, traceID: traceID)
    }
}
