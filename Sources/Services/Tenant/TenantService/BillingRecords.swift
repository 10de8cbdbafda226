import Foundation
import KoniJSON

/// A subscription plan: a price in whole rupiah for a period of months.
struct PlanRecord: Sendable {
    var code: String
    var name: String
    var priceIDR: Int64
    var periodMonths: Int

    var json: JSONValue {
        .object([("code", .string(code)), ("name", .string(name)), ("price_idr", .number(Double(priceIDR))), ("period_months", .number(Double(periodMonths)))])
    }
}

/// A branch's subscription: the period being served and how far it is paid.
struct SubscriptionRecord: Sendable {
    enum Status: String, Sendable { case active, pastDue = "past_due", cancelled }

    var id: UUID
    var tenantID: UUID
    var planCode: String
    var status: Status
    /// `YYYY-MM-DD` (dates are days in Asia/Jakarta).
    var currentPeriodStart: String
    var currentPeriodEnd: String

    var json: JSONValue {
        .object([
            ("id", .string(id.uuidString.lowercased())), ("tenant_id", .string(tenantID.uuidString.lowercased())), ("plan", .string(planCode)),
            ("status", .string(status.rawValue)), ("current_period_start", .string(currentPeriodStart)), ("current_period_end", .string(currentPeriodEnd)),
        ])
    }
}

/// One invoice of a subscription, numbered `INV/<year>/<sequence>` without gaps within a year.
struct InvoiceRecord: Sendable {
    enum Status: String, Sendable { case issued, paid, void }

    var id: UUID
    var subscriptionID: UUID
    var tenantID: UUID
    var number: String
    var planCode: String
    var amount: Int64
    var periodStart: String
    var periodEnd: String
    var dueDate: String
    var status: Status
    /// Counts charges tried for this invoice; the next charge's idempotency key includes it.
    var paymentAttempt: Int
    var paymentID: UUID?
    var issuedAt: Date
    var paidAt: Date?

    /// `overdue` for an issued invoice past its due date (`today` as `YYYY-MM-DD`).
    func state(today: String) -> String {
        status == .issued && dueDate < today ? "overdue" : status.rawValue
    }

    func json(today: String) -> JSONValue {
        .object([
            ("id", .string(id.uuidString.lowercased())), ("number", .string(number)), ("subscription_id", .string(subscriptionID.uuidString.lowercased())),
            ("tenant_id", .string(tenantID.uuidString.lowercased())), ("plan", .string(planCode)), ("amount", .number(Double(amount))),
            ("currency", .string("IDR")), ("period_start", .string(periodStart)), ("period_end", .string(periodEnd)), ("due_date", .string(dueDate)),
            ("status", .string(state(today: today))), ("payment_id", paymentID.map { .string($0.uuidString.lowercased()) } ?? .null),
            ("issued_at", .string(RFC3339.string(issuedAt))), ("paid_at", paidAt.map { .string(RFC3339.string($0)) } ?? .null),
        ])
    }
}
