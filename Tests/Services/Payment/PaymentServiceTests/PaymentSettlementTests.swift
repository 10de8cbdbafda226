import Foundation
import Midtrans
import Testing

@testable import PaymentService

/// The state machine alone: duplicates, reordering, refunds and anomalies change a charge once.
@Suite struct PaymentSettlementTests {
    static func charge(_ status: PaymentStatus = .pending, amount: Int64 = 250_000, refunded: Int64 = 0) -> PaymentRecord {
        let id = UUID()
        return PaymentRecord(
            id: id, tenantID: nil, ownerKind: .tenantInvoice, ownerID: "INV-2026-0001", amount: amount, description: "Langganan", customerName: nil,
            customerEmail: nil, status: status, orderID: id.uuidString.lowercased(), attempt: 1, snapToken: "t", redirectURL: "u", paymentType: nil,
            transactionID: nil, refundedAmount: refunded, failureReason: nil, idempotencyKey: "k", requestHash: "h", version: 1, createdAt: Date(),
            updatedAt: Date(), paidAt: status.isPaid ? Date() : nil
        )
    }

    static func status(_ text: String, amount: Int64 = 250_000, refunds: [Int64] = []) -> TransactionStatus {
        TransactionStatus(
            orderID: "o", statusCode: "200", transactionStatus: text, fraudStatus: "accept", transactionID: "t-1", paymentType: "bank_transfer",
            grossAmount: amount, refunds: refunds.enumerated().map { TransactionStatus.Refund(key: "r\($0.offset)", amount: $0.element) }
        )
    }

    @Test func settlementPaysOnceHoweverOftenItArrives() {
        var payment = Self.charge()
        var events: [PaymentSettlement.Event] = []
        for _ in 0..<5 {
            let settlement = PaymentSettlement.apply(Self.status("settlement"), to: payment)
            events += settlement.events
            payment = settlement.payment
        }
        #expect(events == [.succeeded])
        #expect(payment.status == .paid)
        #expect(payment.paymentType == "bank_transfer")
    }

    @Test func anOlderPendingAfterSettlementChangesNothing() {
        let paid = PaymentSettlement.apply(Self.status("settlement"), to: Self.charge()).payment
        let late = PaymentSettlement.apply(Self.status("pending"), to: paid)
        #expect(late.events.isEmpty)
        #expect(late.payment.status == .paid)
        let expired = PaymentSettlement.apply(Self.status("expire"), to: paid)
        #expect(expired.events.isEmpty)
        #expect(expired.payment.status == .paid)
        #expect(expired.outcome.hasPrefix("ignored"))
    }

    @Test func failureIsAnnouncedOnceAndALaterSettlementStillPays() {
        let failed = PaymentSettlement.apply(Self.status("deny"), to: Self.charge())
        #expect(failed.events == [.failed])
        #expect(failed.payment.status == .failed)
        #expect(PaymentSettlement.apply(Self.status("expire"), to: failed.payment).events.isEmpty)
        let paid = PaymentSettlement.apply(Self.status("settlement"), to: failed.payment)
        #expect(paid.events == [.succeeded])
        #expect(paid.payment.failureReason == nil)
    }

    @Test func refundsFollowMidtransTotalsAndNeverCountTwice() {
        let paid = PaymentSettlement.apply(Self.status("settlement"), to: Self.charge()).payment
        let partial = PaymentSettlement.apply(Self.status("partial_refund", refunds: [50_000]), to: paid)
        #expect(partial.events == [.refunded(amount: 50_000)])
        #expect(partial.payment.status == .partiallyRefunded)
        #expect(PaymentSettlement.apply(Self.status("partial_refund", refunds: [50_000]), to: partial.payment).events.isEmpty)
        let full = PaymentSettlement.apply(Self.status("refund", refunds: [50_000, 200_000]), to: partial.payment)
        #expect(full.events == [.refunded(amount: 200_000)])
        #expect(full.payment.status == .refunded)
        #expect(full.payment.refundedAmount == 250_000)
        #expect(full.refundKeys == ["r0", "r1"])
    }

    @Test func aRefundSeenBeforeTheSettlementStillAnnouncesThePayment() {
        let settlement = PaymentSettlement.apply(Self.status("partial_refund", refunds: [1_000]), to: Self.charge())
        #expect(settlement.events == [.succeeded, .refunded(amount: 1_000)])
        #expect(settlement.payment.status == .partiallyRefunded)
    }

    @Test func anotherAmountOrAnUndocumentedStatusChangesNothing() {
        let wrongAmount = PaymentSettlement.apply(Self.status("settlement", amount: 1), to: Self.charge())
        #expect(wrongAmount.events.isEmpty)
        #expect(wrongAmount.payment.status == .pending)
        #expect(wrongAmount.outcome.contains("250000"))
        let unknown = PaymentSettlement.apply(Self.status("teleported"), to: Self.charge())
        #expect(unknown.events.isEmpty)
        #expect(unknown.payment.status == .pending)
    }

    @Test func refundsAboveTheChargeAreCapped() {
        let paid = Self.charge(.paid)
        let settlement = PaymentSettlement.apply(Self.status("refund", refunds: [999_999_999]), to: paid)
        #expect(settlement.payment.refundedAmount == paid.amount)
        #expect(settlement.payment.status == .refunded)
    }
}
