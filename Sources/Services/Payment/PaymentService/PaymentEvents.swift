import Foundation
import KoniJSON
import KoniServiceKit

/// `payment.succeeded`, `payment.failed`, `payment.refunded` (the catalogue in shared/MISSION.md:
/// payment_id, owner_kind, owner_id, amount), consumed by the service that owns the charge.
enum PaymentEvents {
    static func succeeded(_ payment: PaymentRecord, traceID: String) -> OutboxEvent {
        event(.paymentSucceeded, payment, amount: payment.amount, extra: [("payment_type", payment.paymentType.map { .string($0) } ?? .null)], traceID: traceID)
    }

    static func failed(_ payment: PaymentRecord, traceID: String) -> OutboxEvent {
        event(.paymentFailed, payment, amount: payment.amount, extra: [("reason", .string(payment.failureReason ?? ""))], traceID: traceID)
    }

    /// `amount` is what this refund returned; `refunded_total` all that has been returned.
    static func refunded(_ payment: PaymentRecord, amount: Int64, traceID: String) -> OutboxEvent {
        event(.paymentRefunded, payment, amount: amount, extra: [("refunded_total", .number(Double(payment.refundedAmount)))], traceID: traceID)
    }

    private static func event(
        _ type: EventType, _ payment: PaymentRecord, amount: Int64, extra: [(key: String, value: JSONValue)], traceID: String
    ) -> OutboxEvent {
        let data = JSONValue.object(
            [
                ("payment_id", .string(payment.id.uuidString.lowercased())), ("owner_kind", .string(payment.ownerKind.rawValue)),
                ("owner_id", .string(payment.ownerID)), ("amount", .number(Double(amount))), ("currency", .string("IDR")),
                ("status", .string(payment.status.rawValue)),
            ] + extra
        )
        return OutboxEvent(type: type, tenantID: payment.tenantID, tenantSlug: nil, data: data, traceID: traceID)
    }
}
