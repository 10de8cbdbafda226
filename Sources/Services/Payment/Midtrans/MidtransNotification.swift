import Crypto
import KoniJSON

/// An HTTP notification Midtrans posts to the merchant: a ``TransactionStatus`` plus its
/// `signature_key`, SHA-512 of `order_id + status_code + gross_amount + server key` in hex.
///
/// A valid signature proves only that whoever sent it knows the server key; the Payment service
/// still asks the status endpoint before it believes the status (the notification is a hint).
package struct MidtransNotification: Sendable {
    package var status: TransactionStatus
    package var signature: String

    /// The largest notification body read; Midtrans's are about 1 KiB.
    package static let maximumBytes = 16 * 1024

    /// Parses a notification body; the error names the field.
    package static func parse(_ body: [UInt8]) throws(FieldError) -> MidtransNotification {
        guard body.count <= maximumBytes else { throw FieldError(field: "body", reason: "\(body.count) bytes; at most \(maximumBytes) are read") }
        let value: JSONValue
        do { value = try JSONValue.parse(body) } catch { throw FieldError(field: "body", reason: error.description) }
        let status = try TransactionStatus.parse(value)
        let fields = try JSONFields(value)
        guard let signature = try fields.string("signature_key") else { throw fields.error("signature_key", "required") }
        return MidtransNotification(status: status, signature: signature)
    }

    /// The signature Midtrans computes for `status` with `serverKey`.
    package static func signature(of status: TransactionStatus, serverKey: String) -> String {
        let digest = SHA512.hash(data: Array((status.orderID + status.statusCode + status.grossAmountText + serverKey).utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether the signature is the one `serverKey` gives, compared in constant time.
    package func isSigned(with serverKey: String) -> Bool {
        let expected = Array(Self.signature(of: status, serverKey: serverKey).utf8)
        let given = Array(signature.lowercased().utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ given[index] }
        return difference == 0
    }
}
