import KoniJSON

/// A Snap transaction to create (`POST /snap/v1/transactions`): Midtrans's hosted payment page
/// where the customer picks a bank transfer, an e-wallet or QRIS.
package struct SnapRequest: Sendable {
    /// Unique per transaction at Midtrans, at most 50 characters of `A-Z a-z 0-9 - _ . ~`.
    package var orderID: String
    package var grossAmount: Int64
    package var itemName: String
    package var customerName: String?
    package var customerEmail: String?
    /// Midtrans payment type codes (`bca_va`, `gopay`, `other_qris` …); empty: every enabled one.
    package var enabledPayments: [String]
    /// How long the customer has to pay.
    package var expiryHours: Int

    package init(
        orderID: String, grossAmount: Int64, itemName: String, customerName: String? = nil, customerEmail: String? = nil, enabledPayments: [String] = [],
        expiryHours: Int = 24
    ) {
        self.orderID = orderID
        self.grossAmount = grossAmount
        self.itemName = itemName
        self.customerName = customerName
        self.customerEmail = customerEmail
        self.enabledPayments = enabledPayments
        self.expiryHours = expiryHours
    }

    /// The request body Midtrans documents.
    package var json: JSONValue {
        var customer: [(key: String, value: JSONValue)] = []
        if let customerName { customer.append(("first_name", .string(customerName))) }
        if let customerEmail { customer.append(("email", .string(customerEmail))) }
        var pairs: [(key: String, value: JSONValue)] = [
            ("transaction_details", .object([("order_id", .string(orderID)), ("gross_amount", .number(Double(grossAmount)))])),
            // Midtrans shows at most 50 characters of an item's name.
            (
                "item_details",
                .array([
                    .object([
                        ("id", .string(String(orderID.prefix(50)))), ("price", .number(Double(grossAmount))), ("quantity", .number(1)),
                        ("name", .string(String(itemName.prefix(50)))),
                    ])
                ])
            ),
            ("expiry", .object([("unit", .string("hours")), ("duration", .number(Double(expiryHours)))])),
        ]
        if !customer.isEmpty { pairs.append(("customer_details", .object(customer))) }
        if !enabledPayments.isEmpty { pairs.append(("enabled_payments", .array(enabledPayments.map { .string($0) }))) }
        return .object(pairs)
    }

    /// Whether `orderID` is an order id Midtrans accepts.
    package static func isValidOrderID(_ orderID: String) -> Bool {
        !orderID.isEmpty && orderID.utf8.count <= 50
            && orderID.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F || byte == 0x2E
                    || byte == 0x7E
            }
    }
}

/// What Snap answers: the token of the payment page and its address.
package struct SnapToken: Sendable, Equatable {
    package var token: String
    package var redirectURL: String
}
