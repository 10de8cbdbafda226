import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import Midtrans

extension PaymentAPI {
    /// `POST /api/v1/payments/{id}/refunds` `{"amount"?, "reason"}` with an `Idempotency-Key`:
    /// a full or partial refund through Midtrans, for `admin` and `superadmin` (`payments:refund`).
    func registerRefunds(on api: RouterGroup<KoniRequestContext>) {
        api.post(":id/refunds") { request, context in
            guard let identity = context.identity else { throw APIError.unauthorized }
            let id = try paymentID(context)
            guard identity.allows(.paymentsRefund, tenant: nil) else {
                _ = try await readable(id, context)
                throw APIError.forbidden("refunds need payments:refund (admin, superadmin)")
            }
            let key = try Self.idempotencyKey(request)
            let body = try await request.jsonBody(limit: 4096)
            let (amount, reasonText) = try APIError.validating { () throws(FieldError) -> (Int?, String) in
                let fields = try JSONFields(body)
                try fields.checkKeys(["amount", "reason"])
                return (try fields.int("amount"), try fields.requiredString("reason"))
            }
            if let amount, !(1...Int(MidtransAmount.maximum)).contains(amount) {
                throw APIError(
                    .unprocessableContent, code: "validation_failed", message: "amount must be 1 to \(MidtransAmount.maximum) rupiah", field: "amount")
            }
            let reason = try Self.line(reasonText, field: "reason", limit: 200)
            let request = RefundRequest(paymentID: id, amount: amount.map(Int64.init), reason: reason, idempotencyKey: key, requestedBy: identity.subject)
            do {
                let (refund, payment) = try await ledger.refund(request, traceID: context.traceID)
                return Response.json(.object([("refund", refund.json), ("payment", payment.json)]), status: .created)
            } catch let error as PaymentLedger.RefundError {
                switch error {
                case .noSuchPayment: throw APIError(.notFound, code: "payment_not_found", message: "no payment \(id.uuidString.lowercased())")
                case .notPaid(let status):
                    throw APIError(.conflict, code: "not_paid", message: "a \(status.rawValue) payment has nothing to refund")
                case .amountTooLarge(let requested, let refundable):
                    throw APIError(
                        .unprocessableContent, code: "amount_too_large", message: "\(requested) rupiah asked, \(refundable) can still be refunded",
                        field: "amount")
                case .keyReused:
                    throw APIError(.unprocessableContent, code: "idempotency_key_reused", message: "this Idempotency-Key was used for another refund")
                case .midtransUnavailable(let reason):
                    throw APIError(
                        .serviceUnavailable, code: "midtrans_unavailable", message: "\(reason); retry with the same Idempotency-Key",
                        headers: Self.midtransUnavailableHeaders)
                case .midtransRefused(let messages):
                    throw APIError(.unprocessableContent, code: "midtrans_refused", message: "Midtrans refused the refund: \(messages.joined(separator: "; "))")
                }
            }
        }
    }
}
