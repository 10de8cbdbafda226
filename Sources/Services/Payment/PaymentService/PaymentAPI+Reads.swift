import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

extension PaymentAPI {
    /// Charges newest first (one branch's for an `admin-cabang`, any or one branch's for
    /// `admin`/`superadmin`), one charge, and its refunds.
    func registerReads(on api: RouterGroup<KoniRequestContext>) {
        api.get("") { request, context in
            guard let identity = context.identity else { throw APIError.unauthorized }
            var tenant = try request.uri.queryParameters.get("tenant_id").map { text throws(APIError) -> UUID in
                guard let id = UUID(uuidString: text) else {
                    throw APIError.badRequest("invalid_tenant_id", "tenant_id is not a branch id", field: "tenant_id")
                }
                return id
            }
            if !identity.allows(.paymentsRead, tenant: nil) {
                guard identity.permissions.contains(Permission.paymentsRead.claim(.own)), let own = identity.tenantID else {
                    throw APIError.forbidden("reading payments needs payments:read (admin-cabang for its branch, admin, superadmin)")
                }
                if let tenant, tenant != own { throw APIError.forbidden("an admin-cabang reads only its own branch's payments") }
                tenant = own
            }
            let status = try request.uri.queryParameters.get("status").map { text throws(APIError) -> PaymentStatus in
                guard let status = PaymentStatus(rawValue: text) else {
                    throw APIError.badRequest(
                        "invalid_status", "status is one of \(PaymentStatus.allCases.map(\.rawValue).joined(separator: ", "))", field: "status")
                }
                return status
            }
            let limit = try KeysetPaging.limit(request)
            let after = try KeysetPaging.after(request)
            let records = try await ledger.database.client.withConnection { connection in
                try await ledger.store.list(tenantID: tenant, status: status, after: after, limit: limit + 1, on: connection)
            }
            let page = records.prefix(limit)
            let next: JSONValue = records.count > limit ? page.last.map { .string(KeysetPaging.cursor(createdAt: $0.createdAt, id: $0.id)) } ?? .null : .null
            return Response.json(.object([("items", .array(page.map(\.json))), ("next", next)]))
        }
        api.get(":id") { _, context in
            let payment = try await readable(try paymentID(context), context)
            return Response.json(payment.json, headers: [.eTag: "\"\(payment.version)\""])
        }
        api.get(":id/refunds") { _, context in
            let payment = try await readable(try paymentID(context), context)
            let refunds = try await ledger.database.client.withConnection { try await ledger.store.refunds(paymentID: payment.id, on: $0) }
            return Response.json(.object([("items", .array(refunds.map(\.json)))]))
        }
    }
}
