import Foundation
import KoniJSON
import KoniServiceKit
import Logging
import PostgresNIO

/// Applies `payment.*` events for invoices (`owner_kind` `tenant_invoice`) inside the
/// ``InboxConsumer``'s transaction: a succeeded payment marks its invoice paid once and
/// announces `tenant.subscription_paid`; a failed one lets the next click start a new charge.
struct PaymentEventHandler: Sendable {
    let tenants: TenantStore
    let store: BillingStore
    let logger: Logger

    func handle(_ event: ReceivedEvent, _ data: JSONFields, _ connection: PostgresConnection) async throws -> InboxConsumer.Outcome {
        let kind: String?
        let ownerText: String?
        let paymentText: String?
        let amount: Int?
        do {
            kind = try data.string("owner_kind")
            ownerText = try data.string("owner_id")
            paymentText = try data.string("payment_id")
            amount = try data.int("amount")
        } catch {
            throw RejectedEvent(error.description)
        }
        guard kind == "tenant_invoice" else { return .ignored("owner_kind \(kind ?? "none") is not an invoice") }
        guard let invoiceID = ownerText.flatMap(UUID.init(uuidString:)) else { throw RejectedEvent("data.owner_id is not an invoice id") }
        guard let paymentID = paymentText.flatMap(UUID.init(uuidString:)) else { throw RejectedEvent("data.payment_id is not a UUID") }
        guard let invoice = try await store.invoice(id: invoiceID, lock: true, on: connection) else { throw RejectedEvent("no invoice \(invoiceID)") }
        switch event.type {
        case .paymentSucceeded:
            guard amount.map(Int64.init) == invoice.amount else {
                throw RejectedEvent("payment of \(amount ?? -1) for invoice \(invoice.number) of \(invoice.amount)")
            }
            guard invoice.status == .issued else {
                if invoice.paymentID != paymentID {
                    logger.error("a second payment for a paid invoice; refund it", metadata: ["invoice": "\(invoice.number)", "payment_id": "\(paymentID)"])
                }
                return .applied
            }
            try await store.markPaid(invoice, paymentID: paymentID, on: connection)
            let slug = try await tenants.tenant(id: invoice.tenantID, on: connection)?.slug
            try await Outbox.add(TenantEvents.subscriptionPaid(invoice, tenantSlug: slug ?? "", traceID: event.traceID), on: connection, logger: logger)
            return .applied
        case .paymentFailed:
            if invoice.status == .issued, invoice.paymentID == nil || invoice.paymentID == paymentID {
                try await store.setPayment(invoice.id, paymentID: nil, nextAttempt: true, on: connection)
            }
            return .applied
        default:
            // payment.refunded: the invoice stays paid; a refund is an admin's decision made in the Payment service.
            return .ignored("\(event.type) changes no invoice")
        }
    }
}
