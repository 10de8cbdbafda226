import KoniJSON

/// A transaction as Midtrans's status endpoint (`GET /v2/{order_id}/status`) and its HTTP
/// notifications describe it; read field by field from an answer treated as untrusted.
package struct TransactionStatus: Sendable, Equatable {
    package var orderID: String
    package var statusCode: String
    package var transactionStatus: String
    package var fraudStatus: String?
    package var transactionID: String?
    package var paymentType: String?
    /// `gross_amount` exactly as written (the signature covers the text).
    package var grossAmountText: String
    package var grossAmount: Int64
    /// Refunds Midtrans has made on this transaction (from `refunds`).
    package var refunds: [Refund]

    /// One refund in a status answer.
    package struct Refund: Sendable, Equatable {
        /// The `refund_key` the refund was requested with (absent for some made in Midtrans's dashboard).
        package var key: String?
        package var amount: Int64

        package init(key: String?, amount: Int64) {
            self.key = key
            self.amount = amount
        }
    }

    package init(
        orderID: String, statusCode: String, transactionStatus: String, fraudStatus: String? = nil, transactionID: String? = nil,
        paymentType: String? = nil, grossAmount: Int64, refunds: [Refund] = []
    ) {
        self.orderID = orderID
        self.statusCode = statusCode
        self.transactionStatus = transactionStatus
        self.fraudStatus = fraudStatus
        self.transactionID = transactionID
        self.paymentType = paymentType
        self.grossAmountText = MidtransAmount.text(grossAmount)
        self.grossAmount = grossAmount
        self.refunds = refunds
    }

    /// What the status means for the charge; nil when Midtrans reports a status it does not document.
    package var outcome: MidtransOutcome? { MidtransOutcome(transactionStatus: transactionStatus, fraudStatus: fraudStatus) }

    /// Longest text kept from any field (ids and statuses are far shorter).
    static let maximumFieldLength = 200

    /// Reads a status answer or a notification body; the error names the field.
    package static func parse(_ value: JSONValue) throws(FieldError) -> TransactionStatus {
        guard case .object = value else { throw FieldError(field: "body", reason: "expected a JSON object") }
        let fields = try JSONFields(value)
        func text(_ key: String, required: Bool = true) throws(FieldError) -> String? {
            guard let value = try fields.string(key) else {
                if required { throw fields.error(key, "required") }
                return nil
            }
            guard value.utf8.count <= maximumFieldLength else { throw fields.error(key, "longer than \(maximumFieldLength) bytes") }
            return value
        }
        guard let orderID = try text("order_id"), let statusCode = try text("status_code"), let transactionStatus = try text("transaction_status"),
            let amountText = try text("gross_amount")
        else { throw FieldError(field: "body", reason: "required fields missing") }
        guard let amount = MidtransAmount.parse(amountText) else {
            throw fields.error("gross_amount", "'\(amountText.prefix(40))' is not a rupiah amount")
        }
        var refunds: [Refund] = []
        if fields.has("refunds") {
            let list = try fields.objectList("refunds")
            guard list.count <= 100 else { throw fields.error("refunds", "more than 100 refunds") }
            for refund in list {
                guard let amountText = try refund.string("refund_amount"), let refundAmount = MidtransAmount.parse(amountText) else {
                    throw refund.error("refund_amount", "required rupiah amount")
                }
                let key = try refund.string("refund_key")
                guard (key?.utf8.count ?? 0) <= maximumFieldLength else { throw refund.error("refund_key", "too long") }
                refunds.append(Refund(key: key, amount: refundAmount))
            }
        }
        var status = TransactionStatus(
            orderID: orderID, statusCode: statusCode, transactionStatus: transactionStatus, fraudStatus: try text("fraud_status", required: false),
            transactionID: try text("transaction_id", required: false), paymentType: try text("payment_type", required: false), grossAmount: amount,
            refunds: refunds
        )
        status.grossAmountText = amountText
        return status
    }

    /// The total refunded according to ``refunds``.
    package var refundedAmount: Int64 { refunds.reduce(0) { $0 + $1.amount } }
}
