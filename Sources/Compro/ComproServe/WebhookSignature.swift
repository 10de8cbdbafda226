import Crypto
import ComproModel
import Foundation
import Synchronization

/// Verifies `X-Koni-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
///
/// Everything in the header is untrusted and checked before any arithmetic or MAC work: the
/// timestamp must lie in 0…2³², at most ``maximumCandidates`` `v1=` values are accepted and the
/// header is at most ``maximumHeaderBytes`` long. Signatures older or newer than ``tolerance`` are
/// refused, and each signature is accepted once (replays within the window are refused). The MAC
/// of a request is computed once and compared with each candidate in constant time.
package final class WebhookVerifier: Sendable {
    package static let headerName = "X-Koni-Signature"
    /// The shortest secret accepted: 32 bytes, the size of the HMAC-SHA256 output.
    package static let minimumSecretBytes = 32
    /// `v1=` values per header: two cover a secret rotation; a few more cost little.
    package static let maximumCandidates = 4
    /// A well-formed header is about 80 bytes; a longer one is refused before it is split.
    package static let maximumHeaderBytes = 512
    /// Timestamps outside 0…2³² are refused before `now - t` is computed, so no value can overflow.
    package static let timestampRange: ClosedRange<Int64> = 0...(1 << 32)

    package let tolerance: Int64
    private let key: SymmetricKey
    private let seen = SeenSignatures()

    /// A secret shorter than ``minimumSecretBytes`` is refused: a short HMAC key can be guessed.
    package init(secret: String, tolerance: Int64 = 300) throws(WeakSecret) {
        guard secret.utf8.count >= Self.minimumSecretBytes else { throw WeakSecret(bytes: secret.utf8.count) }
        key = SymmetricKey(data: Data(secret.utf8))
        self.tolerance = min(max(tolerance, 1), 86_400)
    }

    /// The configured secret is too short to be used.
    package struct WeakSecret: Error, Sendable, CustomStringConvertible {
        package var bytes: Int
        package var description: String {
            "the webhook secret has \(bytes) bytes; at least \(WebhookVerifier.minimumSecretBytes) are required (e.g. `openssl rand -hex 32`)"
        }
    }

    package enum Failure: String, Error, Sendable, Equatable, CustomStringConvertible {
        case missing
        case malformed
        case stale
        case mismatch
        case replayed

        package var description: String {
            switch self {
            case .missing: "missing \(WebhookVerifier.headerName) header"
            case .malformed:
                "malformed signature header; expected t=<unix seconds>,v1=<64 hex> (at most \(WebhookVerifier.maximumCandidates) v1 values)"
            case .stale: "signature timestamp is outside the allowed window"
            case .mismatch: "signature does not match"
            case .replayed: "signature was already used"
            }
        }

        /// One word per failure (`missing`, `stale`, …): the `reason` of `koni_webhook_refused_total`.
        package var reason: String { rawValue }
    }

    /// The parsed header: timestamp and the candidate MACs (several `v1=` are allowed during a
    /// secret rotation).
    package struct Header: Sendable {
        package var timestamp: Int64
        package var signatures: [[UInt8]]
    }

    /// Step 1, before reading the body: the header is well-formed and fresh.
    package func checkHeader(_ value: String?, now: Int64) throws(Failure) -> Header {
        guard let value, !value.isEmpty else { throw .missing }
        guard value.utf8.count <= Self.maximumHeaderBytes else { throw .malformed }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for part in value.split(separator: ",", omittingEmptySubsequences: true) {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw .malformed }
            switch pair[0] {
            case "t":
                guard timestamp == nil, let t = Int64(pair[1]) else { throw .malformed }
                timestamp = t
            case "v1":
                guard signatures.count < Self.maximumCandidates, let bytes = Self.hexBytes(pair[1]), bytes.count == 32 else { throw .malformed }
                signatures.append(bytes)
            default:
                continue
            }
        }
        guard let timestamp, !signatures.isEmpty else { throw .malformed }
        guard Self.timestampRange.contains(timestamp), Self.timestampRange.contains(now) else { throw .stale }
        guard abs(now - timestamp) <= tolerance else { throw .stale }
        return Header(timestamp: timestamp, signatures: signatures)
    }

    /// Step 2, with the raw body: the MAC matches and was not used before.
    package func verify(_ header: Header, body: [UInt8], now: Int64) throws(Failure) {
        let signature = try authenticate(header, body: body)
        try recordUse(signature, header: header, now: now)
    }

    /// The MAC matches: returns the matching signature, not yet recorded as used (a request
    /// refused after this, with 429, may then be sent again).
    package func authenticate(_ header: Header, body: [UInt8]) throws(Failure) -> [UInt8] {
        let expected = Array(mac(body: body, timestamp: header.timestamp))
        // Every candidate is compared (no early exit), each in constant time.
        var matching: [UInt8]?
        for candidate in header.signatures where Digest.constantTimeEqual(candidate, expected) { matching = candidate }
        guard let matching else { throw .mismatch }
        return matching
    }

    /// Records an authenticated signature as used; a second use within its window is refused.
    package func recordUse(_ signature: [UInt8], header: Header, now: Int64) throws(Failure) {
        guard seen.insert(signature, expires: header.timestamp + tolerance, now: now) else { throw .replayed }
    }

    /// The header value for `body` at `timestamp`; used by clients and tests.
    package func sign(body: [UInt8], timestamp: Int64) -> String {
        "t=\(timestamp),v1=\(mac(body: body, timestamp: timestamp).map { String(format: "%02x", $0) }.joined())"
    }

    private func mac(body: [UInt8], timestamp: Int64) -> HashedAuthenticationCode<SHA256> {
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: Array("\(timestamp).".utf8))
        hmac.update(data: body)
        return hmac.finalize()
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0, utf8.count <= 128 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = hexValue(utf8[index]), let low = hexValue(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Signatures accepted recently, forgotten once their timestamp leaves the window. Bounded: an
/// attacker cannot grow it, since only correctly signed requests reach it.
private final class SeenSignatures: Sendable {
    private let expiries = Mutex<[[UInt8]: Int64]>([:])

    /// Records `signature`; false if it was already there.
    func insert(_ signature: [UInt8], expires: Int64, now: Int64) -> Bool {
        expiries.withLock { expiries in
            if expiries.count > 1024 { expiries = expiries.filter { $0.value >= now } }
            if let expiry = expiries[signature], expiry >= now { return false }
            expiries[signature] = expires
            return true
        }
    }
}
