/// What a Midtrans `transaction_status` (with its `fraud_status`) means for a charge, in the
/// terms of the Payment service; Midtrans's documentation lists the statuses
/// (docs.midtrans.com, "Transaction Status").
package enum MidtransOutcome: Sendable, Equatable {
    /// Money received: `settlement`, or `capture` with `fraud_status` `accept`.
    case paid
    /// Waiting for the customer or for a fraud review (`pending`, `authorize`, `capture` with
    /// `challenge`).
    case pending
    /// No money will come: `deny`, `cancel`, `expire`, `failure`.
    case failed(reason: String)
    /// Money returned in part or in full: `partial_refund`, `refund` (and their chargeback twins).
    case refunded

    /// The outcome of `transactionStatus`; nil for a status Midtrans does not document.
    package init?(transactionStatus: String, fraudStatus: String?) {
        switch transactionStatus {
        case "settlement": self = .paid
        case "capture":
            switch fraudStatus {
            case nil, "accept": self = .paid
            case "challenge": self = .pending
            default: self = .failed(reason: "capture refused by fraud review (\(fraudStatus ?? ""))")
            }
        case "pending", "authorize": self = .pending
        case "deny", "cancel", "expire", "failure": self = .failed(reason: transactionStatus)
        case "refund", "partial_refund", "chargeback", "partial_chargeback": self = .refunded
        default: return nil
        }
    }
}
