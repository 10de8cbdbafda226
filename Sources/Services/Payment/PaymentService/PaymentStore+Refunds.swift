import Foundation
import PostgresNIO

extension PaymentStore {
    static let refundColumns = "id, payment_id, amount, reason, refund_key, idempotency_key, status, failure_reason, requested_by, created_at"

    func refundRecords(_ rows: PostgresRowSequence) async throws -> [RefundRecord] {
        var result: [RefundRecord] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            let statusText = try cells["status"].decode(String.self)
            guard let status = RefundRecord.Status(rawValue: statusText) else { throw PaymentStoreError.corruptRow("refund with status \(statusText)") }
            result.append(
                RefundRecord(
                    id: try cells["id"].decode(UUID.self), paymentID: try cells["payment_id"].decode(UUID.self), amount: try cells["amount"].decode(Int64.self),
                    reason: try cells["reason"].decode(String.self), refundKey: try cells["refund_key"].decode(String.self),
                    idempotencyKey: try cells["idempotency_key"].decode(String?.self), status: status,
                    failureReason: try cells["failure_reason"].decode(String?.self), requestedBy: try cells["requested_by"].decode(String.self),
                    createdAt: try cells["created_at"].decode(Date.self)
                )
            )
        }
        return result
    }

    func insertRefund(_ refund: RefundRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO refunds (id, payment_id, amount, reason, refund_key, idempotency_key, status, requested_by)
            VALUES (\(refund.id), \(refund.paymentID), \(refund.amount), \(refund.reason), \(refund.refundKey), \(refund.idempotencyKey),
                    \(refund.status.rawValue), \(refund.requestedBy))
            """,
            logger: logger
        )
    }

    func refund(paymentID: UUID, idempotencyKey: String, on connection: PostgresConnection) async throws -> RefundRecord? {
        try await refundRecords(
            try await connection.query(
                "SELECT \(unescaped: Self.refundColumns) FROM refunds WHERE payment_id = \(paymentID) AND idempotency_key = \(idempotencyKey) FOR UPDATE",
                logger: logger
            )
        ).first
    }

    func refund(id: UUID, on connection: PostgresConnection) async throws -> RefundRecord? {
        try await refundRecords(
            try await connection.query("SELECT \(unescaped: Self.refundColumns) FROM refunds WHERE id = \(id) FOR UPDATE", logger: logger)
        ).first
    }

    func refunds(paymentID: UUID, on connection: PostgresConnection) async throws -> [RefundRecord] {
        try await refundRecords(
            try await connection.query(
                "SELECT \(unescaped: Self.refundColumns) FROM refunds WHERE payment_id = \(paymentID) ORDER BY created_at, id LIMIT 1000", logger: logger
            )
        )
    }

    /// What refunds still waiting for Midtrans's answer hold back of a charge.
    func pendingRefundTotal(paymentID: UUID, on connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query(
            "SELECT coalesce(sum(amount), 0)::bigint FROM refunds WHERE payment_id = \(paymentID) AND status = 'pending'", logger: logger
        )
        for try await total in rows.decode(Int64.self) { return total }
        return 0
    }

    func setRefundStatus(_ id: UUID, _ status: RefundRecord.Status, failureReason: String?, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE refunds SET status = \(status.rawValue), failure_reason = \(failureReason), updated_at = now() WHERE id = \(id)", logger: logger
        )
    }

    /// Refunds still waiting for Midtrans's answer after `idleSeconds`, oldest first.
    func stalePendingRefunds(idleSeconds: Int, limit: Int, on connection: PostgresConnection) async throws -> [RefundRecord] {
        try await refundRecords(
            try await connection.query(
                """
                SELECT \(unescaped: Self.refundColumns) FROM refunds WHERE status = 'pending' AND updated_at < now() - make_interval(secs => \(idleSeconds))
                ORDER BY updated_at LIMIT \(limit)
                """,
                logger: logger
            )
        )
    }

    func touchRefund(_ id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("UPDATE refunds SET updated_at = now() WHERE id = \(id)", logger: logger)
    }

    /// Marks the charge's pending refunds whose keys Midtrans reports as made.
    func markRefundsMade(keys: [String], paymentID: UUID, on connection: PostgresConnection) async throws {
        guard !keys.isEmpty else { return }
        try await connection.query(
            "UPDATE refunds SET status = 'succeeded', updated_at = now() WHERE payment_id = \(paymentID) AND refund_key = ANY(\(keys)) AND status = 'pending'",
            logger: logger
        )
    }
}
