import Foundation
import HTTPTypes
import Hummingbird
import KoniJSON
import KoniServiceKit
import Midtrans

/// The Payment service's HTTP API: charges for owner services (`/internal`), Midtrans's
/// notification webhook, and reading and refunding charges for admins under `/api/v1/payments`.
struct PaymentAPI: Sendable {
    let ledger: PaymentLedger
    let metrics: PaymentMetrics

    static let base = "/api/v1/payments"

    func register(on router: Router<KoniRequestContext>, verifier: JWTVerifier) {
        router.get("\(Self.base)/openapi.json") { _, _ in Response.json(PaymentOpenAPI.served) }
        registerPublic(on: router)
        let api = router.group(RouterPath(Self.base)).add(middleware: AuthMiddleware(verifier: verifier))
        registerReads(on: api)
        registerRefunds(on: api)
    }

    // MARK: Shared steps

    func paymentID(_ context: KoniRequestContext) throws(APIError) -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw APIError.notFound("no such payment") }
        return id
    }

    /// The charge `id`, if the caller may read it (`payments:read` for its branch); another
    /// branch's charge is "not found", so that ids cannot be probed.
    func readable(_ id: UUID, _ context: KoniRequestContext) async throws -> PaymentRecord {
        guard let identity = context.identity else { throw APIError.unauthorized }
        guard identity.allows(.paymentsRead, tenant: nil) || identity.permissions.contains(Permission.paymentsRead.claim(.own)) else {
            throw APIError.forbidden("reading payments needs payments:read (admin-cabang for its branch, admin, superadmin)")
        }
        let payment = try await ledger.database.client.withConnection { try await ledger.store.payment(id: id, on: $0) }
        guard let payment, identity.allows(.paymentsRead, tenant: payment.tenantID) else {
            throw APIError(.notFound, code: "payment_not_found", message: "no payment \(id.uuidString.lowercased())")
        }
        return payment
    }

    /// `Idempotency-Key`: required on every request that moves money; 1…200 visible ASCII characters.
    static func idempotencyKey(_ request: Request) throws(APIError) -> String {
        guard let key = request.headers[.idempotencyKey], !key.isEmpty else {
            throw APIError.badRequest("idempotency_key_required", "send an Idempotency-Key header (the same one when you retry)", field: "Idempotency-Key")
        }
        guard key.utf8.count <= 200, key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIError.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1 to 200 visible ASCII characters", field: "Idempotency-Key")
        }
        return key
    }

    /// One line of text from a body field, at most `limit` characters, without control characters.
    static func line(_ text: String, field: String, limit: Int) throws(APIError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= limit, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError(.unprocessableContent, code: "validation_failed", message: "\(field) must be one line of 1 to \(limit) characters", field: field)
        }
        return trimmed
    }

    static let midtransUnavailableHeaders: HTTPFields = [.retryAfter: "5"]
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
}
