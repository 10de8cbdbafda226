import Foundation
import KoniJSON
import KoniServiceKit
import Logging
import PostgresNIO

/// Subscriptions and invoices: starting a subscription (with its first invoice), issuing the next
/// invoice before a period ends, paying an invoice through the Payment service, and applying what
/// the Payment service then announces.
struct Billing: Sendable {
    let database: Database
    let tenants: TenantStore
    let store: BillingStore
    let payments: ServiceClient?
    let calendar: BillingCalendar
    let relay: OutboxRelay?
    let logger: Logger
    /// An invoice is due this many days after it is issued (the first) or when its period starts (renewals).
    var firstInvoiceDueDays = 14
    /// The next period's invoice is issued this many days before the period starts.
    var renewalLeadDays = 14

    enum BillingError: Error, Sendable {
        case noSuchPlan(String)
        case noSuchInvoice
        case notPayable(String)
        case paymentUnavailable(String)
        case paymentRefused(Int, String)
    }

    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let result = try await database.transaction(.readWrite, body)
        relay?.notify()
        return result
    }

    /// Starts the branch's subscription on `planCode` (a new one gets its first invoice now) or
    /// changes its plan from the next invoice on.
    func subscribe(tenantID: UUID, planCode: String) async throws -> (subscription: SubscriptionRecord, invoice: InvoiceRecord?) {
        let today = calendar.today
        let due = calendar.today(plus: firstInvoiceDueDays)
        return try await write { connection in
            guard let plan = try await store.plan(code: planCode, on: connection) else { throw BillingError.noSuchPlan(planCode) }
            let (subscription, isNew) = try await store.subscribe(tenantID: tenantID, plan: plan, today: today, on: connection)
            guard isNew else { return (subscription, nil) }
            let invoice = try await store.issueInvoice(
                subscription: subscription, plan: plan, periodStart: subscription.currentPeriodStart, dueDate: due, today: today, on: connection
            )
            return (subscription, invoice)
        }
    }

    /// One round of the scheduled job: next invoices for periods starting within the lead time,
    /// periods rolled over, past-due marks. Returns how many invoices it issued.
    @discardableResult
    func runSchedule(batch: Int = 100) async throws -> Int {
        let today = calendar.today
        return try await write { connection in
            var issued = 0
            for subscription in try await store.dueForRenewal(today: today, leadDays: renewalLeadDays, limit: batch, on: connection) {
                // A plan no longer offered still renews the subscriptions made on it.
                guard let plan = try await store.plan(code: subscription.planCode, retired: true, on: connection) else {
                    logger.error(
                        "a subscription names a plan that does not exist",
                        metadata: ["subscription_id": "\(subscription.id)", "plan": "\(subscription.planCode)"])
                    continue
                }
                if try await store.issueInvoice(
                    subscription: subscription, plan: plan, periodStart: subscription.currentPeriodEnd, dueDate: subscription.currentPeriodEnd, today: today,
                    on: connection
                ) != nil {
                    issued += 1
                }
            }
            _ = try await store.rollPeriods(today: today, on: connection)
            _ = try await store.markPastDue(today: today, on: connection)
            return issued
        }
    }

    /// Starts (or resumes) paying `invoiceID` through the Payment service; the Snap page to send
    /// the payer to. The idempotency key names the invoice and its attempt, so a repeated click is
    /// the same charge, and a new charge is possible only after the last one failed.
    func pay(tenant: TenantRecord, invoiceID: UUID, traceID: String) async throws -> JSONValue {
        guard let payments else { throw BillingError.paymentUnavailable("this Tenant service has no Payment service configured") }
        let invoice = try await database.client.withConnection { try await store.invoice(id: invoiceID, on: $0) }
        guard let invoice, invoice.tenantID == tenant.id else { throw BillingError.noSuchInvoice }
        guard invoice.status == .issued else { throw BillingError.notPayable("the invoice is \(invoice.status.rawValue)") }
        guard invoice.amount > 0 else { throw BillingError.notPayable("the invoice is for 0 rupiah") }
        let body = JSONValue.object([
            ("owner_kind", .string("tenant_invoice")), ("owner_id", .string(invoice.id.uuidString.lowercased())),
            ("tenant_id", .string(tenant.id.uuidString.lowercased())), ("amount", .number(Double(invoice.amount))),
            ("description", .string("Langganan KONI Compro \(invoice.number)")),
            ("customer", .object([("name", .string(tenant.name))])),
        ])
        let reply: ServiceClient.Reply
        do {
            reply = try await payments.post(
                "/internal/v1/payments/charges", body: body, idempotent: false,
                headers: [("Idempotency-Key", "invoice-\(invoice.id.uuidString.lowercased())-\(invoice.paymentAttempt)"), ("X-Request-ID", traceID)]
            )
        } catch {
            throw BillingError.paymentUnavailable(error.description)
        }
        guard reply.status == 200 || reply.status == 201 else {
            let message: String = if case .string(let text)? = reply.body["error"]?["message"] { text } else { "answered \(reply.status)" }
            throw BillingError.paymentRefused(reply.status, message)
        }
        if case .string(let text)? = reply.body["id"], let paymentID = UUID(uuidString: text) {
            try await write { try await store.setPayment(invoice.id, paymentID: paymentID, nextAttempt: false, on: $0) }
        }
        return reply.body
    }
}
