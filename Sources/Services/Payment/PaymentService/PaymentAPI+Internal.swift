import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import Midtrans

extension PaymentAPI {
    /// Behind the service key, for owner services: `POST /internal/v1/payments/charges` (with an
    /// `Idempotency-Key`; one live charge per owner) and `GET /internal/v1/payments/{id}`.
    func registerInternal(on routes: RouterGroup<KoniRequestContext>) {
        routes.post("v1/payments/charges") { request, context in
            let key = try Self.idempotencyKey(request)
            let body = try await request.jsonBody(limit: 8192)
            let methods = try await ledger.database.client.withConnection { try await ledger.store.methods(on: $0) }.map(\.code)
            let charge = try Self.chargeRequest(body, key: key, knownMethods: methods)
            do {
                let (payment, created) = try await ledger.charge(charge, traceID: context.traceID)
                return Response.json(payment.json, status: created ? .created : .ok)
            } catch let error as PaymentLedger.ChargeError {
                switch error {
                case .keyReused:
                    throw APIError(.unprocessableContent, code: "idempotency_key_reused", message: "this Idempotency-Key was used for a different charge")
                case .ownerHasCharge(let live):
                    throw APIError(
                        .conflict, code: "charge_exists",
                        message:
                            "\(charge.ownerKind.rawValue) \(charge.ownerID) already has the \(live.status.rawValue) payment \(live.id.uuidString.lowercased())")
                case .inProgress:
                    throw APIError(
                        .conflict, code: "charge_in_progress", message: "a request for this charge is still waiting for Midtrans; ask again in a few seconds",
                        headers: [.retryAfter: "5"])
                case .tooManyAttempts:
                    throw APIError(.conflict, code: "too_many_attempts", message: "this charge was retried too often; start a new one when it has failed")
                case .midtransUnavailable(let reason):
                    throw APIError(
                        .serviceUnavailable, code: "midtrans_unavailable", message: "\(reason); the charge is kept, retry with the same Idempotency-Key",
                        headers: Self.midtransUnavailableHeaders)
                case .midtransRefused(let messages):
                    throw APIError(.unprocessableContent, code: "midtrans_refused", message: "Midtrans refused the charge: \(messages.joined(separator: "; "))")
                }
            }
        }
        routes.get("v1/payments/:id") { _, context in
            let id = try paymentID(context)
            guard let payment = try await ledger.database.client.withConnection({ try await ledger.store.payment(id: id, on: $0) }) else {
                throw APIError(.notFound, code: "payment_not_found", message: "no payment \(id.uuidString.lowercased())")
            }
            return Response.json(payment.json)
        }
    }

    /// Reads a charge request; every field is checked, the error names it.
    static func chargeRequest(_ body: JSONValue, key: String, knownMethods: [String]) throws(APIError) -> ChargeRequest {
        let fields = try APIError.validating { () throws(FieldError) -> JSONFields in
            let fields = try JSONFields(body)
            try fields.checkKeys(["owner_kind", "owner_id", "tenant_id", "amount", "description", "customer", "methods"])
            return fields
        }
        return try APIError.validating { () throws(FieldError) -> ChargeRequest in
            let kindText = try fields.requiredString("owner_kind")
            guard let kind = OwnerKind(rawValue: kindText) else {
                throw fields.error("owner_kind", "one of \(OwnerKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let owner = try fields.requiredString("owner_id")
            guard (1...100).contains(owner.utf8.count), owner.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw fields.error("owner_id", "1 to 100 visible ASCII characters")
            }
            var tenant: UUID?
            if let text = try fields.string("tenant_id") {
                guard let id = UUID(uuidString: text) else { throw fields.error("tenant_id", "not a branch id") }
                tenant = id
            }
            guard let amount = try fields.int("amount") else { throw fields.error("amount", "required, in rupiah") }
            guard (1...Int(MidtransAmount.maximum)).contains(amount) else { throw fields.error("amount", "must be 1 to \(MidtransAmount.maximum) rupiah") }
            let description = try fields.requiredString("description").trimmingCharacters(in: .whitespaces)
            guard (1...200).contains(description.count), !description.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw fields.error("description", "one line of 1 to 200 characters")
            }
            var name: String?
            var email: String?
            if let customer = try fields.object("customer") {
                try customer.checkKeys(["name", "email"])
                name = try customer.string("name")
                email = try customer.string("email")
                if let value = name, !(1...100).contains(value.count) || value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    throw customer.error("name", "one line of 1 to 100 characters")
                }
                if let value = email, value.utf8.count > 254 || !value.contains("@") || value.contains(where: \.isWhitespace) {
                    throw customer.error("email", "not an e-mail address")
                }
            }
            let methods = try fields.stringList("methods")
            guard methods.count <= knownMethods.count else { throw fields.error("methods", "more methods than exist") }
            for method in methods where !knownMethods.contains(method) {
                throw fields.error("methods", "'\(method.prefix(40))' is not an enabled method; one of \(knownMethods.joined(separator: ", "))")
            }
            return ChargeRequest(
                ownerKind: kind, ownerID: owner, tenantID: tenant, amount: Int64(amount), description: description, customerName: name, customerEmail: email,
                methods: methods, idempotencyKey: key
            )
        }
    }
}
