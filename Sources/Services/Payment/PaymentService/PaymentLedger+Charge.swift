import Crypto
import Foundation
import KoniServiceKit
import Midtrans
import PostgresNIO

/// A charge as the owner service asks for it.
struct ChargeRequest: Sendable {
    var ownerKind: OwnerKind
    var ownerID: String
    var tenantID: UUID?
    var amount: Int64
    var description: String
    var customerName: String?
    var customerEmail: String?
    /// Midtrans payment type codes to offer; empty: every enabled method.
    var methods: [String]
    var idempotencyKey: String

    /// A digest of what the request asks for, so that a key reused for another request is refused.
    var digest: String {
        let canonical = [
            ownerKind.rawValue, ownerID, tenantID?.uuidString.lowercased() ?? "", "\(amount)", description, customerName ?? "", customerEmail ?? "",
            methods.joined(separator: ","),
        ].joined(separator: "\u{1F}")
        return SHA256.hash(data: Array(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension PaymentLedger {
    /// Why a charge was not made.
    enum ChargeError: Error, Sendable {
        /// The same idempotency key came with a different request.
        case keyReused
        /// The owner already has a pending or paid charge.
        case ownerHasCharge(PaymentRecord)
        /// The charge has been retried more than the schema allows.
        case tooManyAttempts
        /// Midtrans did not answer; the charge is kept, retry with the same idempotency key.
        case midtransUnavailable(String)
        /// Midtrans refused the charge; it is marked failed.
        case midtransRefused([String])
    }

    /// Charges `request` through Snap; returns the charge with its payment page and whether it
    /// was created now (false: the same idempotency key came before).
    func charge(_ request: ChargeRequest, traceID: String) async throws -> (payment: PaymentRecord, created: Bool) {
        let digest = request.digest
        let prepared = try await write { connection -> (payment: PaymentRecord, created: Bool, needsSnap: Bool) in
            if let existing = try await store.payment(idempotencyKey: request.idempotencyKey, on: connection) {
                guard existing.requestHash == digest else { throw ChargeError.keyReused }
                guard existing.status == .pending, existing.snapToken == nil else { return (existing, false, false) }
                // The previous Snap call's outcome is unknown: a new order id, since Midtrans takes one only once.
                guard existing.attempt < 20 else { throw ChargeError.tooManyAttempts }
                return (try await store.newAttempt(existing, on: connection), false, true)
            }
            if let live = try await store.livePayment(ownerKind: request.ownerKind, ownerID: request.ownerID, on: connection) {
                throw ChargeError.ownerHasCharge(live)
            }
            let id = UUID()
            let now = Date()
            let payment = PaymentRecord(
                id: id, tenantID: request.tenantID, ownerKind: request.ownerKind, ownerID: request.ownerID, amount: request.amount,
                description: request.description, customerName: request.customerName, customerEmail: request.customerEmail, status: .pending,
                orderID: PaymentRecord.orderID(id: id, attempt: 1), attempt: 1, snapToken: nil, redirectURL: nil, paymentType: nil, transactionID: nil,
                refundedAmount: 0, failureReason: nil, idempotencyKey: request.idempotencyKey, requestHash: digest, version: 1, createdAt: now, updatedAt: now,
                paidAt: nil
            )
            try await store.insert(payment, on: connection)
            return (payment, true, true)
        }
        guard prepared.needsSnap else { return (prepared.payment, prepared.created) }
        var payment = prepared.payment
        let snap = SnapRequest(
            orderID: payment.orderID, grossAmount: payment.amount, itemName: payment.description, customerName: payment.customerName,
            customerEmail: payment.customerEmail, enabledPayments: request.methods
        )
        do {
            let page = try await midtrans.createSnapTransaction(snap)
            try await write { try await store.setSnap(page.token, url: page.redirectURL, paymentID: payment.id, orderID: payment.orderID, on: $0) }
            payment.snapToken = page.token
            payment.redirectURL = page.redirectURL
            return (payment, prepared.created)
        } catch let error as MidtransError {
            switch error {
            case .unavailable(let reason), .malformed(let reason):
                logger.warning("Snap transaction not created", metadata: ["payment_id": "\(payment.id)", "reason": "\(reason)"])
                throw ChargeError.midtransUnavailable(reason)
            case .refused(_, let messages):
                var failed = payment
                failed.status = .failed
                failed.failureReason = "refused by Midtrans: " + messages.joined(separator: "; ").prefix(300)
                try await write { try await store.saveSettlement(failed, on: $0) }
                throw ChargeError.midtransRefused(messages)
            }
        }
    }
}
