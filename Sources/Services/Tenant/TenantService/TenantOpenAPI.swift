import KoniJSON
import KoniServiceKit

/// The OpenAPI 3.1 description of the Tenant API, served at `/api/v1/tenants/openapi.json` and
/// checked route by route against the router (`TenantOpenAPITests`).
enum TenantOpenAPI: OpenAPIBuilding {
    static let served: JSONValue = build()

    static func build() -> JSONValue {
        let id = param("id", schema: string("uuid"))
        let errors: [(key: String, value: JSONValue)] = [
            ("400", response("malformed request", ref("Error"))), ("401", response("missing, invalid or expired token", ref("Error"))),
            ("403", response("the role may not do this", ref("Error"))), ("404", response("no such branch (or not the caller's)", ref("Error"))),
            ("422", response("a field is invalid; the error names it", ref("Error"))),
        ]
        let level = JSONValue.object([("type", .string("string")), ("enum", .array(TenantLevel.allCases.map { .string($0.rawValue) }))])
        let create = object(
            [
                ("slug", string()), ("name", string()), ("level", level), ("parent_id", nullable(string("uuid"))), ("domains", array(string())),
                ("theme_preset", string()),
            ], required: ["slug", "name", "level"])
        let change = object([
            ("name", string()), ("level", level), ("parent_id", nullable(string("uuid"))), ("domains", array(string())), ("theme_preset", string()),
            ("version", integer),
        ])
        let internalKey = param("X-Koni-Service-Key", in: "header")
        let paths: [(key: String, value: JSONValue)] = [
            (
                "/api/v1/tenants",
                .object([
                    (
                        "get",
                        operation(
                            "Branches newest first (keyset-paged); an admin-cabang sees its own", tags: ["tenants"],
                            parameters: [param("limit", in: "query", schema: integer, required: false), param("after", in: "query", required: false)],
                            responses: [("200", response("a page", object([("items", array(ref("Tenant"))), ("next", nullable(string()))])))] + errors,
                            secured: true)
                    ),
                    (
                        "post",
                        operation(
                            "Register a branch; tenant.created provisions its site", tags: ["tenants"], parameters: [], body: body(create),
                            responses: [("201", response("registered", ref("Tenant"))), ("409", response("slug or domain taken", ref("Error")))] + errors,
                            secured: true)
                    ),
                ])
            ),
            (
                "/api/v1/tenants/plans",
                .object([
                    (
                        "get",
                        operation(
                            "Subscription plans, prices in rupiah", tags: ["billing"], parameters: [],
                            responses: [("200", response("plans", object([("items", array(ref("Plan")))])))], secured: false)
                    )
                ])
            ),
            (
                "/api/v1/tenants/{id}",
                .object([
                    (
                        "get",
                        operation(
                            "One branch (ETag: its version)", tags: ["tenants"], parameters: [id],
                            responses: [("200", response("the branch", ref("Tenant")))] + errors, secured: true)
                    ),
                    (
                        "patch",
                        operation(
                            "Change name, level, parent, domains or theme (If-Match or version)", tags: ["tenants"],
                            parameters: [id, param("If-Match", in: "header", required: false)], body: body(change),
                            responses: [
                                ("200", response("changed", ref("Tenant"))), ("409", response("domain taken", ref("Error"))),
                                ("412", response("changed meanwhile", ref("Error"))), ("428", response("no version", ref("Error"))),
                            ] + errors, secured: true)
                    ),
                ])
            ),
            (
                "/api/v1/tenants/{id}/suspend",
                .object([
                    (
                        "post",
                        operation(
                            "Suspend: the site shows the maintenance page (tenant.suspended)", tags: ["tenants"], parameters: [id],
                            body: body(object([("reason", string())], required: ["reason"])),
                            responses: [("200", response("suspended", ref("Tenant")))] + errors, secured: true)
                    )
                ])
            ),
            (
                "/api/v1/tenants/{id}/resume",
                .object([
                    (
                        "post",
                        operation(
                            "Resume a suspended branch (tenant.updated)", tags: ["tenants"], parameters: [id],
                            responses: [("200", response("active", ref("Tenant")))] + errors, secured: true)
                    )
                ])
            ),
            (
                "/api/v1/tenants/{id}/subscription",
                .object([
                    (
                        "get",
                        operation(
                            "The branch's subscription", tags: ["billing"], parameters: [id],
                            responses: [("200", response("the subscription", ref("Subscription")))] + errors, secured: true)
                    ),
                    (
                        "put",
                        operation(
                            "Subscribe to a plan (the first invoice is issued) or change plan", tags: ["billing"], parameters: [id],
                            body: body(object([("plan", string())], required: ["plan"])),
                            responses: [
                                (
                                    "200",
                                    response(
                                        "plan changed", object([("subscription", ref("Subscription")), ("invoice", .object([("type", .string("null"))]))]))
                                ),
                                (
                                    "201",
                                    response("subscribed, first invoice issued", object([("subscription", ref("Subscription")), ("invoice", ref("Invoice"))]))
                                ),
                            ] + errors, secured: true)
                    ),
                ])
            ),
            (
                "/api/v1/tenants/{id}/invoices",
                .object([
                    (
                        "get",
                        operation(
                            "The branch's invoices, newest first", tags: ["billing"], parameters: [id],
                            responses: [("200", response("invoices", object([("items", array(ref("Invoice")))])))] + errors, secured: true)
                    )
                ])
            ),
            (
                "/api/v1/tenants/{id}/invoices/{invoice}/pay",
                .object([
                    (
                        "post",
                        operation(
                            "Pay an invoice: a Midtrans page through the Payment service", tags: ["billing"],
                            parameters: [id, param("invoice", schema: string("uuid"))],
                            responses: [
                                (
                                    "200",
                                    response(
                                        "the payment page",
                                        object([("payment_id", string("uuid")), ("status", string()), ("redirect_url", nullable(string()))]))
                                ), ("409", response("not payable", ref("Error"))), ("502", response("the Payment service refused", ref("Error"))),
                                ("503", response("payments unavailable", ref("Error"))),
                            ] + errors, secured: true)
                    )
                ])
            ),
            (
                "/internal/tenants/{id}",
                .object([
                    (
                        "get",
                        operation(
                            "One branch, for other services", tags: ["internal"], parameters: [id, internalKey],
                            responses: [
                                ("200", response("the branch", ref("Tenant"))), ("401", response("no or wrong service key", ref("Error"))),
                                ("404", response("no such branch", ref("Error"))),
                            ], secured: false)
                    )
                ])
            ),
            (
                "/internal/tenants/billing/run",
                .object([
                    (
                        "post",
                        operation(
                            "One billing round now: next invoices, period roll-overs, past-due marks", tags: ["internal"], parameters: [internalKey],
                            responses: [
                                ("200", response("done", object([("invoices_issued", integer)]))), ("401", response("no or wrong service key", ref("Error"))),
                            ], secured: false)
                    )
                ])
            ),
            (
                "/internal/tenants/by-domain/{domain}",
                .object([
                    (
                        "get",
                        operation(
                            "The branch a host name belongs to", tags: ["internal"], parameters: [param("domain"), internalKey],
                            responses: [
                                ("200", response("the branch", ref("Tenant"))), ("401", response("no or wrong service key", ref("Error"))),
                                ("404", response("no branch answers to it", ref("Error"))),
                            ], secured: false)
                    )
                ])
            ),
        ]
        let schemas: [(key: String, value: JSONValue)] = [
            (
                "Tenant",
                object([
                    ("id", string("uuid")), ("slug", string()), ("name", string()), ("level", level), ("parent_id", nullable(string("uuid"))),
                    ("domains", array(string())), ("status", string()), ("suspended_reason", nullable(string())), ("theme_preset", string()),
                    ("version", integer),
                    ("created_at", string("date-time")), ("updated_at", string("date-time")),
                ])
            ),
            ("Plan", object([("code", string()), ("name", string()), ("price_idr", integer), ("period_months", integer)])),
            (
                "Subscription",
                object([
                    ("id", string("uuid")), ("tenant_id", string("uuid")), ("plan", string()), ("status", string()), ("current_period_start", string("date")),
                    ("current_period_end", string("date")),
                ])
            ),
            (
                "Invoice",
                object([
                    ("id", string("uuid")), ("number", string()), ("subscription_id", string("uuid")), ("tenant_id", string("uuid")), ("plan", string()),
                    ("amount", integer), ("currency", string()), ("period_start", string("date")), ("period_end", string("date")), ("due_date", string("date")),
                    ("status", string()), ("payment_id", nullable(string("uuid"))), ("issued_at", string("date-time")),
                    ("paid_at", nullable(string("date-time"))),
                ])
            ),
            ("Error", errorSchema),
        ]
        return document(
            title: "KONI Tenant service",
            description:
                "The registry of KONI branches (pusat, provinsi, kabupaten/kota), their domains, subscriptions and invoices. Managing needs tenants:manage (admin, superadmin); an admin-cabang reads and pays for its own branch (tenants:read:own). Changes emit tenant.created, tenant.updated, tenant.suspended and tenant.subscription_paid on the koni.events exchange.",
            server: "http://127.0.0.1:8002", paths: paths, schemas: schemas
        )
    }
}
