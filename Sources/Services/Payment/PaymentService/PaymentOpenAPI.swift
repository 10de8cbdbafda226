import KoniJSON
import KoniServiceKit

/// The OpenAPI 3.1 description of the Payment API, served at `/api/v1/payments/openapi.json` and
/// checked route by route against the router (`PaymentOpenAPITests`). The `/internal` routes are
/// described too (they never pass the gateway; the service key secures them).
enum PaymentOpenAPI: OpenAPIBuilding {
    static let served: JSONValue = build()

    static func build() -> JSONValue {
        let id = param("id", schema: string("uuid"))
        let idempotency = param("Idempotency-Key", in: "header")
        let errors: [(key: String, value: JSONValue)] = [
            ("400", response("malformed request", ref("Error"))), ("401", response("missing, invalid or expired token", ref("Error"))),
            ("403", response("the role may not do this", ref("Error"))), ("404", response("no such payment (or not the caller's branch)", ref("Error"))),
        ]
        let unavailable: (key: String, value: JSONValue) = ("503", response("Midtrans is unavailable; retry with the same Idempotency-Key", ref("Error")))
        let charge = object(
            [
                ("owner_kind", .object([("type", .string("string")), ("enum", .array(OwnerKind.allCases.map { .string($0.rawValue) }))])),
                ("owner_id", string()), ("tenant_id", string("uuid")), ("amount", integer), ("description", string()),
                ("customer", object([("name", string()), ("email", string())])), ("methods", array(string())),
            ], required: ["owner_kind", "owner_id", "amount", "description"])
        let notification = object(
            [
                ("order_id", string()), ("status_code", string()), ("gross_amount", string()), ("signature_key", string()), ("transaction_status", string()),
                ("transaction_id", string()), ("payment_type", string()), ("fraud_status", string()),
            ], required: ["order_id", "status_code", "gross_amount", "signature_key", "transaction_status"], additional: true)
        let paths: [(key: String, value: JSONValue)] = [
            (
                "/api/v1/payments",
                .object([
                    (
                        "get",
                        operation(
                            "Payments newest first (keyset-paged); an admin-cabang sees its branch's", tags: ["payments"],
                            parameters: [
                                param("tenant_id", in: "query", schema: string("uuid"), required: false), param("status", in: "query", required: false),
                                param("limit", in: "query", schema: integer, required: false), param("after", in: "query", required: false),
                            ], responses: [("200", response("a page", object([("items", array(ref("Payment"))), ("next", nullable(string()))])))] + errors,
                            secured: true)
                    )
                ])
            ),
            (
                "/api/v1/payments/methods",
                .object([
                    (
                        "get",
                        operation(
                            "The payment methods customers can choose", tags: ["payments"], parameters: [],
                            responses: [("200", response("methods", object([("items", array(ref("Method")))])))], secured: false)
                    )
                ])
            ),
            (
                "/api/v1/payments/midtrans/notification",
                .object([
                    (
                        "post",
                        operation(
                            "Midtrans's HTTP notification: verified by signature_key, then re-read from Midtrans's status endpoint", tags: ["midtrans"],
                            parameters: [], body: body(notification),
                            responses: [
                                ("200", response("applied (or already applied)", object([("status", string()), ("outcome", string())]))),
                                ("400", response("not a notification", ref("Error"))), ("403", response("wrong signature; nothing changed", ref("Error"))),
                                ("404", response("no payment used the order id", ref("Error"))), ("413", response("too large", ref("Error"))), unavailable,
                            ], secured: false)
                    )
                ])
            ),
            (
                "/api/v1/payments/{id}",
                .object([
                    (
                        "get",
                        operation(
                            "One payment (ETag: its version)", tags: ["payments"], parameters: [id],
                            responses: [("200", response("the payment", ref("Payment")))] + errors, secured: true)
                    )
                ])
            ),
            (
                "/api/v1/payments/{id}/refunds",
                .object([
                    (
                        "get",
                        operation(
                            "The payment's refunds", tags: ["refunds"], parameters: [id],
                            responses: [("200", response("refunds", object([("items", array(ref("Refund")))])))] + errors, secured: true)
                    ),
                    (
                        "post",
                        operation(
                            "Refund in full (no amount) or in part, through Midtrans", tags: ["refunds"], parameters: [id, idempotency],
                            body: body(object([("amount", integer), ("reason", string())], required: ["reason"])),
                            responses: [
                                ("201", response("refunded", object([("refund", ref("Refund")), ("payment", ref("Payment"))]))),
                                ("409", response("not paid", ref("Error"))),
                                ("422", response("amount too large, key reused or refused by Midtrans", ref("Error"))), unavailable,
                            ] + errors, secured: true)
                    ),
                ])
            ),
            (
                "/internal/v1/payments/charges",
                .object([
                    (
                        "post",
                        operation(
                            "Charge an owner (invoice, order, booking) through Snap; one live charge per owner", tags: ["internal"],
                            parameters: [idempotency, param("X-Koni-Service-Key", in: "header")], body: body(charge),
                            responses: [
                                ("200", response("the charge this Idempotency-Key made before", ref("Payment"))),
                                ("201", response("created, with its Snap redirect_url", ref("Payment"))),
                                ("401", response("no or wrong service key", ref("Error"))),
                                ("409", response("the owner already has a live charge", ref("Error"))),
                                ("422", response("invalid, key reused or refused by Midtrans", ref("Error"))), unavailable,
                            ], secured: false)
                    )
                ])
            ),
            (
                "/internal/v1/payments/{id}",
                .object([
                    (
                        "get",
                        operation(
                            "One payment, for owner services", tags: ["internal"], parameters: [id, param("X-Koni-Service-Key", in: "header")],
                            responses: [
                                ("200", response("the payment", ref("Payment"))), ("401", response("no or wrong service key", ref("Error"))),
                                ("404", response("no such payment", ref("Error"))),
                            ], secured: false)
                    )
                ])
            ),
        ]
        let schemas: [(key: String, value: JSONValue)] = [
            (
                "Payment",
                object([
                    ("id", string("uuid")), ("tenant_id", nullable(string("uuid"))), ("owner_kind", string()), ("owner_id", string()), ("amount", integer),
                    ("currency", string()), ("description", string()),
                    ("status", .object([("type", .string("string")), ("enum", .array(PaymentStatus.allCases.map { .string($0.rawValue) }))])),
                    ("order_id", string()), ("redirect_url", nullable(string())), ("snap_token", nullable(string())), ("payment_type", nullable(string())),
                    ("refunded_amount", integer), ("failure_reason", nullable(string())), ("version", integer), ("created_at", string("date-time")),
                    ("updated_at", string("date-time")), ("paid_at", nullable(string("date-time"))),
                ])
            ),
            (
                "Refund",
                object([
                    ("id", string("uuid")), ("payment_id", string("uuid")), ("amount", integer), ("reason", string()), ("status", string()),
                    ("failure_reason", nullable(string())), ("requested_by", string()), ("created_at", string("date-time")),
                ])
            ),
            ("Method", object([("code", string()), ("name", string()), ("kind", string())])),
            ("Error", errorSchema),
        ]
        return document(
            title: "KONI Payment service",
            description:
                "Charges through Midtrans (bank transfer, e-wallets, QRIS) for owner services, Midtrans's notifications, refunds. Amounts are whole rupiah. Reading needs payments:read (admin-cabang its branch, admin, superadmin); refunds need payments:refund. Changes emit payment.succeeded, payment.failed and payment.refunded on the koni.events exchange.",
            server: "http://127.0.0.1:8010", paths: paths, schemas: schemas
        )
    }
}
