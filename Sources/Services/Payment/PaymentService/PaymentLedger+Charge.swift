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

    /// A digest of what the request charges, so that a key reused for another charge is refused.
    /// The customer's name and e-mail are left out: a branch renamed between two clicks is still
    /// paying the same invoice.
    var digest: String {
        let canonical = [ownerKind.rawValue, ownerID, tenantID?.uuidString.lowercased() ?? "", "\(amount)", description, methods.joined(separator: ",")]
            .joined(separator: "\u{1F}")
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
        /// A request with the same key is still waiting for Snap; ask again in a few seconds.
        case inProgress
        /// Midtrans did not answer; the charge is kept, retry with the same idempotency key.
        case midtransUnavailable(String)
        /// Midtrans refused the charge; it is marked failed.
        case midtransRefused([String])
    }

    /// Charges `request` through Snap; returns the charge with its payment page and whether it
    /// was created now (false: the same idempotency key came before).
    func charge(_ request: ChargeRequest, traceID: String) async throws -> (payment: PaymentRecord, created: Bool) {
        let digest = request.digest
        // Longer than one Snap call can take: a same-key request within it waits instead of starting a second order.
        let callSeconds = Int(midtrans.settings.timeout.components.seconds) + 5
        let prepared: (payment: PaymentRecord, created: Bool, needsSnap: Bool)
        do {
            prepared = try await write { connection -> (payment: PaymentRecord, created: Bool, needsSnap: Bool) in
                if let existing = try await store.payment(idempotencyKey: request.idempotencyKey, on: connection) {
                    guard existing.requestHash == digest else { throw ChargeError.keyReused }
                    guard existing.status == .pending, existing.snapToken == nil else { return (existing, false, false) }
                    if try await store.snapCallRunning(existing.id, withinSeconds: callSeconds, on: connection) { throw ChargeError.inProgress }
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
                    refundedAmount: 0, failureReason: nil, idempotencyKey: request.idempotencyKey, requestHash: digest, version: 1, createdAt: now,
                    updatedAt: now,
                    paidAt: nil
                )
                try await store.insert(payment, on: connection)
                return (payment, true, true)
            }
        } catch  where error.sqlState == "23505" {
            // Two first requests with one key (or for one owner) at once: the other one won.
            throw ChargeError.inProgress
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
                // The call is over: a retry with the same key may try again at once.
                try await write { try await store.snapCallEnded(payment.id, on: $0) }
                throw ChargeError.midtransUnavailable(reason)
            case .refused(_, let messages):
                let reason = "refused by Midtrans: " + messages.joined(separator: "; ").prefix(300)
                try await write { connection in
                    guard var failed = try await store.payment(id: payment.id, lock: true, on: connection), failed.status == .pending else { return }
                    failed.status = .failed
                    failed.failureReason = reason
                    try await store.saveSettlement(failed, on: connection)
                    // The owner learns it the usual way, so that its next charge uses a new key.
                    try await Outbox.add(PaymentEvents.failed(failed, traceID: traceID), on: connection, logger: logger)
                }
                throw ChargeError.midtransRefused(messages)
            }
        }
    }
}
