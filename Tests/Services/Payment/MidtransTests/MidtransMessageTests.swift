import KoniJSON
import Midtrans
import Testing

/// Midtrans's notification format: the signature, the amounts, and bodies that must be refused.
@Suite struct MidtransMessageTests {
    static let serverKey = "SB-Mid-server-TEST"

    static func body(_ pairs: [(String, String)]) -> [UInt8] {
        JSONValue.object(pairs.map { ($0.0, JSONValue.string($0.1)) }).jsonBytes
    }

    @Test func theSignatureIsSHA512OfOrderStatusAmountAndKey() throws {
        // The value computed independently with Python's hashlib.sha512.
        let expected = "07b6927a1db2fc57ec993c1b9306b883238458423931628f3d0b1ef366892175f6dbb51fde232c565c678d57d4f61140ab2d132c888fb46914c2c12aa9e8f477"
        let notification = try MidtransNotification.parse(
            Self.body([
                ("order_id", "koni-order-1"), ("status_code", "200"), ("gross_amount", "150000.00"), ("transaction_status", "settlement"),
                ("signature_key", expected), ("fraud_status", "accept"),
            ]))
        #expect(MidtransNotification.signature(of: notification.status, serverKey: Self.serverKey) == expected)
        #expect(notification.isSigned(with: Self.serverKey))
        #expect(!notification.isSigned(with: Self.serverKey + "x"))
        #expect(notification.status.grossAmount == 150_000)
        #expect(notification.status.outcome == .paid)
    }

    @Test func aChangedFieldBreaksTheSignature() throws {
        let signed = try MidtransNotification.parse(
            Self.body([
                ("order_id", "a"), ("status_code", "200"), ("gross_amount", "1000.00"), ("transaction_status", "settlement"), ("signature_key", ""),
            ]))
        let signature = MidtransNotification.signature(of: signed.status, serverKey: Self.serverKey)
        // The same signature on another amount, written differently ("1000.0"), or another order.
        for (order, amount) in [("a", "9000.00"), ("a", "1000.0"), ("b", "1000.00")] {
            let forged = try MidtransNotification.parse(
                Self.body([
                    ("order_id", order), ("status_code", "200"), ("gross_amount", amount), ("transaction_status", "settlement"), ("signature_key", signature),
                ]))
            #expect(!forged.isSigned(with: Self.serverKey), "\(order) \(amount)")
        }
    }

    @Test(arguments: [
        ("150000.00", Int64(150_000)), ("150000", 150_000), ("1.0", 1), ("1000000000000.00", 1_000_000_000_000),
    ])
    func amountsAreWholeRupiah(text: String, value: Int64) {
        #expect(MidtransAmount.parse(text) == value)
    }

    @Test(arguments: ["", "-1", "1.5", "1.05", "1e3", "0x10", " 1", "1000000000001", "99999999999999999999", "1..0", ".00", "1.", "１２"])
    func otherAmountsAreRefused(text: String) {
        #expect(MidtransAmount.parse(text) == nil)
    }

    @Test func malformedNotificationsNameTheField() {
        let cases: [([UInt8], String)] = [
            (Array("[1]".utf8), "body"),
            (Array("{".utf8), "body"),
            (Self.body([("status_code", "200"), ("gross_amount", "1.00"), ("transaction_status", "settlement"), ("signature_key", "x")]), "order_id"),
            (
                Self.body([("order_id", "a"), ("status_code", "200"), ("gross_amount", "1.5"), ("transaction_status", "settlement"), ("signature_key", "x")]),
                "gross_amount"
            ),
            (Self.body([("order_id", "a"), ("status_code", "200"), ("gross_amount", "1.00"), ("transaction_status", "settlement")]), "signature_key"),
            (
                Self.body([
                    ("order_id", String(repeating: "a", count: 201)), ("status_code", "200"), ("gross_amount", "1.00"), ("transaction_status", "x"),
                    ("signature_key", "x"),
                ]), "order_id"
            ),
            (Array(repeating: 0x20, count: MidtransNotification.maximumBytes + 1), "body"),
        ]
        for (body, field) in cases {
            do {
                _ = try MidtransNotification.parse(body)
                Issue.record("accepted a notification without a valid \(field)")
            } catch {
                #expect(error.field == field)
            }
        }
    }

    @Test func statusesMapAsTheIssueSays() {
        #expect(MidtransOutcome(transactionStatus: "capture", fraudStatus: "accept") == .paid)
        #expect(MidtransOutcome(transactionStatus: "capture", fraudStatus: "challenge") == .pending)
        #expect(MidtransOutcome(transactionStatus: "settlement", fraudStatus: nil) == .paid)
        #expect(MidtransOutcome(transactionStatus: "pending", fraudStatus: nil) == .pending)
        for status in ["deny", "cancel", "expire", "failure"] {
            #expect(MidtransOutcome(transactionStatus: status, fraudStatus: nil) == .failed(reason: status))
        }
        #expect(MidtransOutcome(transactionStatus: "refund", fraudStatus: nil) == .refunded)
        #expect(MidtransOutcome(transactionStatus: "partial_refund", fraudStatus: nil) == .refunded)
        #expect(MidtransOutcome(transactionStatus: "settled-ish", fraudStatus: nil) == nil)
    }
}
