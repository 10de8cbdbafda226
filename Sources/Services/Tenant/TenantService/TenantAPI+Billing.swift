import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

extension TenantAPI {
    /// A branch's subscription and invoices; paying an invoice sends the payer to Midtrans
    /// through the Payment service.
    func registerBilling(on api: RouterGroup<KoniRequestContext>) {
        api.get(":id/subscription") { _, context in
            let tenant = try await readable(context)
            let subscription = try await database.client.withConnection { try await billing.store.subscription(tenantID: tenant.id, on: $0) }
            guard let subscription else { throw APIError(.notFound, code: "no_subscription", message: "\(tenant.slug) has no subscription") }
            return Response.json(subscription.json)
        }
        api.put(":id/subscription") { request, context in
            try authorizeManage(context)
            let tenant = try await readable(context)
            let body = try await request.jsonBody(limit: 4096)
            let plan = try APIError.validating { () throws(FieldError) -> String in
                let fields = try JSONFields(body)
                try fields.checkKeys(["plan"])
                return try fields.requiredString("plan")
            }
            do {
                let (subscription, invoice) = try await billing.subscribe(tenantID: tenant.id, planCode: plan)
                return Response.json(
                    .object([("subscription", subscription.json), ("invoice", invoice.map { $0.json(today: billing.calendar.today) } ?? .null)]),
                    status: invoice == nil ? .ok : .created
                )
            } catch Billing.BillingError.noSuchPlan(let code) {
                throw APIError(
                    .unprocessableContent, code: "validation_failed", message: "no plan '\(code.prefix(40))'; see GET \(Self.base)/plans", field: "plan")
            }
        }
        api.get(":id/invoices") { _, context in
            let tenant = try await readable(context)
            let invoices = try await database.client.withConnection { try await billing.store.invoices(tenantID: tenant.id, on: $0) }
            let today = billing.calendar.today
            return Response.json(.object([("items", .array(invoices.map { $0.json(today: today) }))]))
        }
        api.post(":id/invoices/:invoice/pay") { _, context in
            let tenant = try await readable(context)
            guard let text = context.parameters.get("invoice"), let invoiceID = UUID(uuidString: text) else { throw APIError.notFound("no such invoice") }
            do {
                let payment = try await billing.pay(tenant: tenant, invoiceID: invoiceID, traceID: context.traceID)
                return Response.json(
                    .object([
                        ("payment_id", payment["id"] ?? .null), ("status", payment["status"] ?? .null), ("redirect_url", payment["redirect_url"] ?? .null),
                    ]))
            } catch let error as Billing.BillingError {
                switch error {
                case .noSuchInvoice:
                    throw APIError(.notFound, code: "invoice_not_found", message: "no invoice \(invoiceID.uuidString.lowercased()) of \(tenant.slug)")
                case .notPayable(let reason): throw APIError(.conflict, code: "not_payable", message: reason)
                case .paymentUnavailable(let reason):
                    throw APIError(
                        .serviceUnavailable, code: "payment_unavailable", message: "payments cannot be started now: \(reason)", headers: [.retryAfter: "5"])
                case .paymentRefused(let status, let message):
                    // 409: a charge is already under way; 422: Midtrans refused this charge (the
                    // payer can act on it); anything else is the Payment service failing.
                    let answer: HTTPResponse.Status = status == 409 ? .conflict : status == 422 ? .unprocessableContent : .badGateway
                    throw APIError(answer, code: "payment_refused", message: message)
                case .noSuchPlan: throw APIError.internalError
                }
            }
        }
    }
}
