/// Rupiah amounts as Midtrans writes them: an integer in requests, `"150000.00"` in statuses
/// and notifications. Rupiah have no minor unit in practice, so a fraction other than zero is
/// refused rather than rounded.
package enum MidtransAmount {
    /// The largest amount accepted anywhere (a trillion rupiah), far above any KONI charge and far
    /// below where arithmetic on it could overflow.
    package static let maximum: Int64 = 1_000_000_000_000

    /// `"150000.00"`, `"150000"` or `"150000.0"` as 150000; nil for anything else.
    package static func parse(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 20 else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.utf8.allSatisfy({ $0 == 0x30 }) else { return nil }
        }
        guard let value = Int64(whole), value <= maximum else { return nil }
        return value
    }

    /// The amount as Midtrans signs it in notifications: `"150000.00"`.
    package static func text(_ amount: Int64) -> String { "\(amount).00" }
}
