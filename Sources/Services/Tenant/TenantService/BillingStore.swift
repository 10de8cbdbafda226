import Foundation
import Logging
import PostgresNIO

/// SQL for plans, subscriptions and invoices. Dates are `date` columns read as `YYYY-MM-DD`
/// text; date arithmetic happens in PostgreSQL.
struct BillingStore: Sendable {
    let logger: Logger

    static let subscriptionColumns = "id, tenant_id, plan_code, status, current_period_start::text, current_period_end::text"
    static let invoiceColumns = """
        id, subscription_id, tenant_id, number, plan_code, amount, period_start::text, period_end::text, due_date::text, status, payment_attempt, \
        payment_id, issued_at, paid_at
        """

    /// The plans offered to new subscribers; with `retired`, also those that only existing
    /// subscriptions still renew on.
    func plans(retired: Bool = false, on connection: PostgresConnection) async throws -> [PlanRecord] {
        var result: [PlanRecord] = []
        let rows = try await connection.query(
            "SELECT code, name, price_idr, period_months FROM plans WHERE active OR \(retired) ORDER BY period_months", logger: logger
        )
        for try await (code, name, price, months) in rows.decode((String, String, Int64, Int).self) {
            result.append(PlanRecord(code: code, name: name, priceIDR: price, periodMonths: months))
        }
        return result
    }

    func subscriptions(_ rows: PostgresRowSequence) async throws -> [SubscriptionRecord] {
        var result: [SubscriptionRecord] = []
        for try await (id, tenant, plan, status, start, end) in rows.decode((UUID, UUID, String, String, String, String).self) {
            guard let status = SubscriptionRecord.Status(rawValue: status) else { throw TenantStoreError(description: "corrupt subscription status \(status)") }
            result.append(SubscriptionRecord(id: id, tenantID: tenant, planCode: plan, status: status, currentPeriodStart: start, currentPeriodEnd: end))
        }
        return result
    }

    func invoices(_ rows: PostgresRowSequence) async throws -> [InvoiceRecord] {
        var result: [InvoiceRecord] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            let statusText = try cells["status"].decode(String.self)
            guard let status = InvoiceRecord.Status(rawValue: statusText) else { throw TenantStoreError(description: "corrupt invoice status \(statusText)") }
            result.append(
                InvoiceRecord(
                    id: try cells["id"].decode(UUID.self), subscriptionID: try cells["subscription_id"].decode(UUID.self),
                    tenantID: try cells["tenant_id"].decode(UUID.self), number: try cells["number"].decode(String.self),
                    planCode: try cells["plan_code"].decode(String.self), amount: try cells["amount"].decode(Int64.self),
                    periodStart: try cells["period_start"].decode(String.self), periodEnd: try cells["period_end"].decode(String.self),
                    dueDate: try cells["due_date"].decode(String.self), status: status, paymentAttempt: try cells["payment_attempt"].decode(Int.self),
                    paymentID: try cells["payment_id"].decode(UUID?.self), issuedAt: try cells["issued_at"].decode(Date.self),
                    paidAt: try cells["paid_at"].decode(Date?.self)
                )
            )
        }
        return result
    }

    func subscription(tenantID: UUID, lock: Bool = false, on connection: PostgresConnection) async throws -> SubscriptionRecord? {
        try await subscriptions(
            try await connection.query(
                "SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE tenant_id = \(tenantID)\(unescaped: lock ? " FOR UPDATE" : "")",
                logger: logger
            )
        ).first
    }

    /// Starts (or changes the plan of) a branch's subscription; a new one starts `today` for one
    /// period of the plan. Returns the subscription and whether it is new.
    func subscribe(tenantID: UUID, plan: PlanRecord, today: String, on connection: PostgresConnection) async throws -> (SubscriptionRecord, Bool) {
        if var existing = try await subscription(tenantID: tenantID, lock: true, on: connection) {
            try await connection.query(
                "UPDATE subscriptions SET plan_code = \(plan.code), status = CASE WHEN status = 'cancelled' THEN 'active' ELSE status END, updated_at = now() WHERE id = \(existing.id)",
                logger: logger
            )
            existing.planCode = plan.code
            if existing.status == .cancelled { existing.status = .active }
            return (existing, false)
        }
        let rows = try await connection.query(
            """
            INSERT INTO subscriptions (id, tenant_id, plan_code, status, current_period_start, current_period_end)
            VALUES (\(UUID()), \(tenantID), \(plan.code), 'active', \(today)::date, \(today)::date + make_interval(months => \(plan.periodMonths)::int))
            RETURNING \(unescaped: Self.subscriptionColumns)
            """,
            logger: logger
        )
        guard let created = try await subscriptions(rows).first else { throw TenantStoreError(description: "subscription not created") }
        return (created, true)
    }

    /// Issues the invoice of `subscription` for the period starting `periodStart` (one period of
    /// `plan`), due on `dueDate`; nil when that period already has one. The number comes from the
    /// issue year's counter in the same transaction, so a rolled-back invoice leaves no gap. An
    /// invoice of a free plan is paid when it is issued (there is nothing to charge).
    func issueInvoice(
        subscription: SubscriptionRecord, plan: PlanRecord, periodStart: String, dueDate: String, today: String, on connection: PostgresConnection
    ) async throws -> InvoiceRecord? {
        let existing = try await connection.query(
            "SELECT 1 FROM subscription_invoices WHERE subscription_id = \(subscription.id) AND period_start = \(periodStart)::date", logger: logger
        )
        for try await _ in existing { return nil }
        guard let year = Int(today.prefix(4)) else { throw TenantStoreError(description: "bad date \(today)") }
        var sequence = 0
        let counter = try await connection.query(
            """
            INSERT INTO invoice_sequences (year, last) VALUES (\(year), 1)
            ON CONFLICT (year) DO UPDATE SET last = invoice_sequences.last + 1 RETURNING last
            """,
            logger: logger
        )
        for try await last in counter.decode(Int.self) { sequence = last }
        let number = "INV/\(year)/" + String(repeating: "0", count: max(0, 6 - String(sequence).count)) + String(sequence)
        let rows = try await connection.query(
            """
            INSERT INTO subscription_invoices (id, subscription_id, tenant_id, number, year, sequence, plan_code, amount, period_start, period_end, due_date, status, paid_at)
            VALUES (\(UUID()), \(subscription.id), \(subscription.tenantID), \(number), \(year), \(sequence), \(plan.code), \(plan.priceIDR),
                    \(periodStart)::date, \(periodStart)::date + make_interval(months => \(plan.periodMonths)::int), \(dueDate)::date,
                    \(plan.priceIDR == 0 ? "paid" : "issued"), CASE WHEN \(plan.priceIDR) = 0 THEN now() END)
            RETURNING \(unescaped: Self.invoiceColumns)
            """,
            logger: logger
        )
        return try await invoices(rows).first
    }

    func invoices(tenantID: UUID, on connection: PostgresConnection) async throws -> [InvoiceRecord] {
        try await invoices(
            try await connection.query(
                "SELECT \(unescaped: Self.invoiceColumns) FROM subscription_invoices WHERE tenant_id = \(tenantID) ORDER BY year DESC, sequence DESC LIMIT 500",
                logger: logger
            )
        )
    }

    func invoice(id: UUID, lock: Bool = false, on connection: PostgresConnection) async throws -> InvoiceRecord? {
        try await invoices(
            try await connection.query(
                "SELECT \(unescaped: Self.invoiceColumns) FROM subscription_invoices WHERE id = \(id)\(unescaped: lock ? " FOR UPDATE" : "")", logger: logger
            )
        ).first
    }

    func markPaid(_ invoice: InvoiceRecord, paymentID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE subscription_invoices SET status = 'paid', payment_id = \(paymentID), paid_at = now() WHERE id = \(invoice.id)", logger: logger
        )
        // Paid: a past-due subscription is active again once none of its invoices is overdue.
        try await connection.query(
            """
            UPDATE subscriptions SET status = 'active', updated_at = now() WHERE id = \(invoice.subscriptionID) AND status = 'past_due'
                AND NOT EXISTS (SELECT 1 FROM subscription_invoices WHERE subscription_id = \(invoice.subscriptionID) AND status = 'issued'
                                AND due_date < (now() AT TIME ZONE 'Asia/Jakarta')::date)
            """,
            logger: logger
        )
    }

    func setPayment(_ invoiceID: UUID, paymentID: UUID?, nextAttempt: Bool, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE subscription_invoices SET payment_id = \(paymentID),
                payment_attempt = payment_attempt + \(nextAttempt ? 1 : 0) WHERE id = \(invoiceID) AND status = 'issued'
            """,
            logger: logger
        )
    }

    /// Subscriptions whose next period starts within `leadDays` of `today` and has no invoice yet.
    func dueForRenewal(today: String, leadDays: Int, limit: Int, on connection: PostgresConnection) async throws -> [SubscriptionRecord] {
        try await subscriptions(
            try await connection.query(
                """
                SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions s WHERE status <> 'cancelled'
                    AND current_period_end <= \(today)::date + \(leadDays)::int
                    AND NOT EXISTS (SELECT 1 FROM subscription_invoices i WHERE i.subscription_id = s.id AND i.period_start = s.current_period_end)
                ORDER BY current_period_end LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            )
        )
    }

    /// Moves subscriptions whose period ended into the next one (already invoiced); returns how many.
    func rollPeriods(today: String, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            """
            UPDATE subscriptions s SET current_period_start = i.period_start, current_period_end = i.period_end, updated_at = now()
            FROM subscription_invoices i
            WHERE i.subscription_id = s.id AND i.period_start = s.current_period_end AND s.current_period_end <= \(today)::date AND s.status <> 'cancelled'
            RETURNING s.id
            """,
            logger: logger
        )
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    /// Marks active subscriptions with an invoice past its due date as past due; returns how many.
    func markPastDue(today: String, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            """
            UPDATE subscriptions s SET status = 'past_due', updated_at = now() WHERE status = 'active'
                AND EXISTS (SELECT 1 FROM subscription_invoices i WHERE i.subscription_id = s.id AND i.status = 'issued' AND i.due_date < \(today)::date)
            RETURNING s.id
            """,
            logger: logger
        )
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    func plan(code: String, retired: Bool = false, on connection: PostgresConnection) async throws -> PlanRecord? {
        try await plans(retired: retired, on: connection).first { $0.code == code }
    }
}
