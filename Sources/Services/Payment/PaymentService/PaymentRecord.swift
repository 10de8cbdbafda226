import Foundation
import KoniJSON

/// Where a charge stands. `partially_refunded` is still paid; `refunded` returned all of it.
enum PaymentStatus: String, Sendable, CaseIterable {
    case pending, paid, failed
    case partiallyRefunded = "partially_refunded"
    case refunded

    /// Whether money was received (and not all of it returned).
    var isPaid: Bool { self == .paid || self == .partiallyRefunded }
}

/// What a charge pays for; the owner service is told by `payment.*` events.
enum OwnerKind: String, Sendable, CaseIterable {
    case tenantInvoice = "tenant_invoice"
    case marketplaceOrder = "marketplace_order"
    case booking
}

/// One charge.
struct PaymentRecord: Sendable {
    var id: UUID
    var tenantID: UUID?
    var ownerKind: OwnerKind
    var ownerID: String
    var amount: Int64
    var description: String
    var customerName: String?
    var customerEmail: String?
    var status: PaymentStatus
    /// The Midtrans order id of the current attempt (`<id>` first, `<id>-2` after a Snap call
    /// whose outcome is unknown).
    var orderID: String
    var attempt: Int
    var snapToken: String?
    var redirectURL: String?
    var paymentType: String?
    var transactionID: String?
    var refundedAmount: Int64
    var failureReason: String?
    var idempotencyKey: String
    var requestHash: String
    var version: Int
    var createdAt: Date
    var updatedAt: Date
    var paidAt: Date?

    /// The Midtrans order id of attempt `attempt` of payment `id`.
    static func orderID(id: UUID, attempt: Int) -> String {
        let base = id.uuidString.lowercased()
        return attempt == 1 ? base : "\(base)-\(attempt)"
    }

    var json: JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
        return .object([
            ("id", .string(id.uuidString.lowercased())), ("tenant_id", optional(tenantID?.uuidString.lowercased())),
            ("owner_kind", .string(ownerKind.rawValue)), ("owner_id", .string(ownerID)), ("amount", .number(Double(amount))), ("currency", .string("IDR")),
            ("description", .string(description)), ("status", .string(status.rawValue)), ("order_id", .string(orderID)),
            ("redirect_url", optional(redirectURL)), ("snap_token", optional(snapToken)), ("payment_type", optional(paymentType)),
            ("refunded_amount", .number(Double(refundedAmount))), ("failure_reason", optional(failureReason)), ("version", .number(Double(version))),
            ("created_at", .string(RFC3339.string(createdAt))), ("updated_at", .string(RFC3339.string(updatedAt))),
            ("paid_at", optional(paidAt.map(RFC3339.string))),
        ])
    }
}

/// One refund of a charge.
struct RefundRecord: Sendable {
    enum Status: String, Sendable { case pending, succeeded, failed }

    /// A refund about to be sent: its `refund_key` is its id, so a resend cannot refund twice.
    static func pending(paymentID: UUID, amount: Int64, reason: String, idempotencyKey: String, requestedBy: String) -> RefundRecord {
        let id = UUID()
        return RefundRecord(
            id: id, paymentID: paymentID, amount: amount, reason: reason, refundKey: id.uuidString.lowercased(), idempotencyKey: idempotencyKey,
            status: .pending, failureReason: nil, requestedBy: requestedBy, createdAt: Date()
        )
    }

    var id: UUID
    var paymentID: UUID
    var amount: Int64
    var reason: String
    /// Sent to Midtrans, which applies one key once.
    var refundKey: String
    var idempotencyKey: String?
    var status: Status
    var failureReason: String?
    var requestedBy: String
    var createdAt: Date

    var json: JSONValue {
        .object([
            ("id", .string(id.uuidString.lowercased())), ("payment_id", .string(paymentID.uuidString.lowercased())), ("amount", .number(Double(amount))),
            ("reason", .string(reason)), ("status", .string(status.rawValue)), ("failure_reason", failureReason.map { .string($0) } ?? .null),
            ("requested_by", .string(requestedBy)), ("created_at", .string(RFC3339.string(createdAt))),
        ])
    }
}
