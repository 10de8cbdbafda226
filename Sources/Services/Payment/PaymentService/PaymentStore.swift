import Foundation
import Logging
import PostgresNIO

/// SQL for charges and their Midtrans orders. Every change of a charge's status happens with
/// its row locked (`FOR UPDATE`), so concurrent notifications for one charge apply one at a time.
struct PaymentStore: Sendable {
    let logger: Logger

    static let columns = """
        id, tenant_id, owner_kind, owner_id, amount, description, customer_name, customer_email, status, order_id, attempt, snap_token, \
        redirect_url, payment_type, transaction_id, refunded_amount, failure_reason, idempotency_key, request_hash, version, created_at, updated_at, paid_at
        """

    func records(_ rows: PostgresRowSequence) async throws -> [PaymentRecord] {
        var result: [PaymentRecord] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            let ownerText = try cells["owner_kind"].decode(String.self)
            let statusText = try cells["status"].decode(String.self)
            guard let owner = OwnerKind(rawValue: ownerText), let status = PaymentStatus(rawValue: statusText) else {
                throw PaymentStoreError.corruptRow("payment with owner_kind \(ownerText), status \(statusText)")
            }
            result.append(
                PaymentRecord(
                    id: try cells["id"].decode(UUID.self), tenantID: try cells["tenant_id"].decode(UUID?.self), ownerKind: owner,
                    ownerID: try cells["owner_id"].decode(String.self), amount: try cells["amount"].decode(Int64.self),
                    description: try cells["description"].decode(String.self), customerName: try cells["customer_name"].decode(String?.self),
                    customerEmail: try cells["customer_email"].decode(String?.self), status: status, orderID: try cells["order_id"].decode(String.self),
                    attempt: try cells["attempt"].decode(Int.self), snapToken: try cells["snap_token"].decode(String?.self),
                    redirectURL: try cells["redirect_url"].decode(String?.self), paymentType: try cells["payment_type"].decode(String?.self),
                    transactionID: try cells["transaction_id"].decode(String?.self), refundedAmount: try cells["refunded_amount"].decode(Int64.self),
                    failureReason: try cells["failure_reason"].decode(String?.self), idempotencyKey: try cells["idempotency_key"].decode(String.self),
                    requestHash: try cells["request_hash"].decode(String.self), version: try cells["version"].decode(Int.self),
                    createdAt: try cells["created_at"].decode(Date.self), updatedAt: try cells["updated_at"].decode(Date.self),
                    paidAt: try cells["paid_at"].decode(Date?.self)
                )
            )
        }
        return result
    }

    private func one(_ sql: String, _ binds: PostgresBindings, on connection: PostgresConnection) async throws -> PaymentRecord? {
        try await records(try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)).first
    }

    /// Stores a new charge and its first order id.
    func insert(_ payment: PaymentRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO payments (id, tenant_id, owner_kind, owner_id, amount, description, customer_name, customer_email, status, order_id,
                                  idempotency_key, request_hash, snap_requested_at)
            VALUES (\(payment.id), \(payment.tenantID), \(payment.ownerKind.rawValue), \(payment.ownerID), \(payment.amount), \(payment.description),
                    \(payment.customerName), \(payment.customerEmail), \(payment.status.rawValue), \(payment.orderID), \(payment.idempotencyKey),
                    \(payment.requestHash), now())
            """,
            logger: logger
        )
        try await connection.query("INSERT INTO payment_orders (order_id, payment_id) VALUES (\(payment.orderID), \(payment.id))", logger: logger)
    }

    func payment(id: UUID, lock: Bool = false, on connection: PostgresConnection) async throws -> PaymentRecord? {
        var binds = PostgresBindings()
        binds.append(id)
        return try await one("SELECT \(Self.columns) FROM payments WHERE id = $1\(lock ? " FOR UPDATE" : "")", binds, on: connection)
    }

    func payment(idempotencyKey: String, on connection: PostgresConnection) async throws -> PaymentRecord? {
        var binds = PostgresBindings()
        binds.append(idempotencyKey)
        return try await one("SELECT \(Self.columns) FROM payments WHERE idempotency_key = $1 FOR UPDATE", binds, on: connection)
    }

    /// The owner's charge that is pending or paid, if any.
    func livePayment(ownerKind: OwnerKind, ownerID: String, on connection: PostgresConnection) async throws -> PaymentRecord? {
        var binds = PostgresBindings()
        binds.append(ownerKind.rawValue)
        binds.append(ownerID)
        return try await one(
            "SELECT \(Self.columns) FROM payments WHERE owner_kind = $1 AND owner_id = $2 AND status IN ('pending', 'paid', 'partially_refunded')", binds,
            on: connection
        )
    }

    /// The charge any of whose order ids is `orderID`, locked.
    func payment(orderID: String, on connection: PostgresConnection) async throws -> PaymentRecord? {
        var binds = PostgresBindings()
        binds.append(orderID)
        return try await one(
            "SELECT \(Self.columns) FROM payments WHERE id = (SELECT payment_id FROM payment_orders WHERE order_id = $1) FOR UPDATE", binds, on: connection
        )
    }

    /// Keeps the Snap page of the current attempt.
    func setSnap(_ token: String, url: String, paymentID: UUID, orderID: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE payments SET snap_token = \(token), redirect_url = \(url), updated_at = now(), version = version + 1
            WHERE id = \(paymentID) AND order_id = \(orderID)
            """,
            logger: logger
        )
    }

    /// Moves the charge to a new order id: the previous Snap call's outcome is unknown, and
    /// Midtrans refuses an order id twice.
    func newAttempt(_ payment: PaymentRecord, on connection: PostgresConnection) async throws -> PaymentRecord {
        var next = payment
        next.attempt += 1
        next.orderID = PaymentRecord.orderID(id: payment.id, attempt: next.attempt)
        next.snapToken = nil
        next.redirectURL = nil
        try await connection.query(
            """
            UPDATE payments SET attempt = \(next.attempt), order_id = \(next.orderID), snap_token = NULL, redirect_url = NULL, updated_at = now(),
                snap_requested_at = now(), version = version + 1
            WHERE id = \(payment.id)
            """,
            logger: logger
        )
        try await connection.query("INSERT INTO payment_orders (order_id, payment_id) VALUES (\(next.orderID), \(payment.id))", logger: logger)
        return next
    }

    /// Writes a settled change of status (see ``PaymentSettlement``), and the order id that was
    /// paid (refunds go to it).
    func saveSettlement(_ payment: PaymentRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE payments SET status = \(payment.status.rawValue), order_id = \(payment.orderID), payment_type = \(payment.paymentType), transaction_id = \(payment.transactionID),
                refunded_amount = \(payment.refundedAmount), failure_reason = \(payment.failureReason), paid_at = \(payment.paidAt),
                updated_at = now(), version = version + 1
            WHERE id = \(payment.id)
            """,
            logger: logger
        )
    }

    /// A page of charges, newest first, after the keyset `after`; of one branch when `tenantID` is given.
    func list(tenantID: UUID?, status: PaymentStatus?, after: (Date, UUID)?, limit: Int, on connection: PostgresConnection) async throws -> [PaymentRecord] {
        var sql = "SELECT \(Self.columns) FROM payments WHERE true"
        var binds = PostgresBindings()
        if let tenantID {
            binds.append(tenantID)
            sql += " AND tenant_id = $\(binds.count)"
        }
        if let status {
            binds.append(status.rawValue)
            sql += " AND status = $\(binds.count)"
        }
        if let (date, id) = after {
            binds.append(date)
            binds.append(id)
            sql += " AND (created_at, id) < ($\(binds.count - 1), $\(binds.count))"
        }
        sql += " ORDER BY created_at DESC, id DESC LIMIT \(limit)"
        return try await records(try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger))
    }

    /// Pending charges that nothing has moved for `idleSeconds`, oldest first.
    func stalePending(idleSeconds: Int, limit: Int, on connection: PostgresConnection) async throws -> [PaymentRecord] {
        var binds = PostgresBindings()
        binds.append(idleSeconds)
        return try await records(
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT \(Self.columns) FROM payments WHERE status = 'pending'
                            AND updated_at < now() - make_interval(secs => $1) ORDER BY updated_at LIMIT \(limit)
                        """,
                    binds: binds
                ),
                logger: logger
            )
        )
    }

    /// The Snap call of the charge returned (with a failure).
    func snapCallEnded(_ paymentID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("UPDATE payments SET snap_requested_at = NULL WHERE id = \(paymentID)", logger: logger)
    }

    /// Whether a Snap call for the charge may still be running (started within `seconds`).
    func snapCallRunning(_ paymentID: UUID, withinSeconds seconds: Int, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT 1 FROM payments WHERE id = \(paymentID) AND snap_requested_at > now() - make_interval(secs => \(seconds))", logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// Every Midtrans order id the charge used, oldest first.
    func orderIDs(of paymentID: UUID, on connection: PostgresConnection) async throws -> [String] {
        var result: [String] = []
        let rows = try await connection.query(
            "SELECT order_id FROM payment_orders WHERE payment_id = \(paymentID) ORDER BY created_at LIMIT 25", logger: logger
        )
        for try await order in rows.decode(String.self) { result.append(order) }
        return result
    }

    /// Pending charges created more than `ageSeconds` ago (abandoned when Midtrans knows none of their orders).
    func oldPending(ageSeconds: Int, limit: Int, on connection: PostgresConnection) async throws -> [PaymentRecord] {
        var binds = PostgresBindings()
        binds.append(ageSeconds)
        return try await records(
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT \(Self.columns) FROM payments WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1)
                        ORDER BY created_at LIMIT \(limit)
                        """,
                    binds: binds
                ),
                logger: logger
            )
        )
    }

    /// Marks a charge as looked at, so that the reconciler moves on to others.
    func touch(_ paymentID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("UPDATE payments SET updated_at = now() WHERE id = \(paymentID)", logger: logger)
    }

    /// Keeps one notification for the audit trail.
    func recordNotification(orderID: String, transactionStatus: String, signatureValid: Bool, outcome: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO payment_notifications (order_id, transaction_status, signature_valid, outcome)
            VALUES (\(String(orderID.prefix(200))), \(String(transactionStatus.prefix(200))), \(signatureValid), \(outcome))
            """,
            logger: logger
        )
    }

    /// The enabled payment methods, in the order customers see them.
    func methods(on connection: PostgresConnection) async throws -> [(code: String, name: String, kind: String)] {
        var result: [(code: String, name: String, kind: String)] = []
        let rows = try await connection.query("SELECT code, name, kind FROM payment_methods WHERE enabled ORDER BY position", logger: logger)
        for try await (code, name, kind) in rows.decode((String, String, String).self) { result.append((code, name, kind)) }
        return result
    }
}

/// A row the schema's checks should have made impossible.
struct PaymentStoreError: Error, CustomStringConvertible {
    var description: String
    static func corruptRow(_ what: String) -> PaymentStoreError { PaymentStoreError(description: "corrupt row: \(what)") }
}
