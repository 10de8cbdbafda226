import Crypto
import Foundation

/// Verifies `X-Koni-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
///
/// Signatures older or newer than ``tolerance`` are refused, and each signature is accepted once
/// (replays within the tolerance window are refused). The timestamp is checked before the body
/// is read, so a stale request costs nothing; the MAC comparison is constant-time.
public final class WebhookVerifier: Sendable {
    public static let headerName = "X-Koni-Signature"
    public let tolerance: Int64
    private let key: SymmetricKey
    private let seen = SeenSignatures()

    public init(secret: String, tolerance: Int64 = 300) {
        key = SymmetricKey(data: Data(secret.utf8))
        self.tolerance = tolerance
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case missing
        case malformed
        case stale
        case mismatch
        case replayed

        public var description: String {
            switch self {
            case .missing: "missing \(WebhookVerifier.headerName) header"
            case .malformed: "malformed signature header; expected t=<unix seconds>,v1=<hex>"
            case .stale: "signature timestamp is outside the allowed window"
            case .mismatch: "signature does not match"
            case .replayed: "signature was already used"
            }
        }
    }

    /// The parsed header: timestamp and the candidate MACs (several `v1=` are allowed during a
    /// secret rotation).
    public struct Header: Sendable {
        public var timestamp: Int64
        public var signatures: [[UInt8]]
    }

    /// Step 1, before reading the body: the header is well-formed and fresh.
    public func checkHeader(_ value: String?, now: Int64) throws(Failure) -> Header {
        guard let value, !value.isEmpty else { throw .missing }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for part in value.split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw .malformed }
            switch pair[0] {
            case "t":
                guard let t = Int64(pair[1]) else { throw .malformed }
                timestamp = t
            case "v1":
                guard let bytes = Self.hexBytes(pair[1]), bytes.count == 32 else { throw .malformed }
                signatures.append(bytes)
            default:
                continue
            }
        }
        guard let timestamp, !signatures.isEmpty else { throw .malformed }
        guard abs(now - timestamp) <= tolerance else { throw .stale }
        return Header(timestamp: timestamp, signatures: signatures)
    }

    /// Step 2, with the raw body: the MAC matches and was not used before.
    public func verify(_ header: Header, body: [UInt8], now: Int64) throws(Failure) {
        var message = Array("\(header.timestamp).".utf8)
        message.append(contentsOf: body)
        guard let matching = header.signatures.first(where: { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: message, using: key) }) else {
            throw .mismatch
        }
        guard seen.insert(matching, expires: header.timestamp + tolerance, now: now) else { throw .replayed }
    }

    /// The header value for `body` at `timestamp`; used by clients and tests.
    public func sign(body: [UInt8], timestamp: Int64) -> String {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return "t=\(timestamp),v1=\(mac.map { String(format: "%02x", $0) }.joined())"
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

/// Signatures accepted recently, forgotten once their timestamp leaves the window.
private final class SeenSignatures: @unchecked Sendable {
    private let lock = NSLock()
    private var expiries: [[UInt8]: Int64] = [:]

    /// Records `signature`; false if it was already there.
    func insert(_ signature: [UInt8], expires: Int64, now: Int64) -> Bool {
        lock.withLock {
            if expiries.count > 1024 { expiries = expiries.filter { $0.value >= now } }
            if let expiry = expiries[signature], expiry >= now { return false }
            expiries[signature] = expires
            return true
        }
    }
}
