/// Bounds applied to every parameter set before libargon2 sees it, whether it
/// comes from configuration or from a stored hash (which is outside data: a forged
/// or corrupted row must not be able to make the server allocate gigabytes or
/// spin for minutes).
enum Limits {
    /// 256 MiB. With ``PasswordHasher`` allowing two hashes at once, a forged row
    /// can cost at most about half a gigabyte, not "whatever m says".
    static let memoryKiB: ClosedRange<UInt64> = 8...262_144
    static let iterations: ClosedRange<UInt64> = 1...100
    static let parallelism: ClosedRange<UInt64> = 1...16
    /// `m × t` in KiB-passes. Each bound above is harmless alone, but 256 MiB × 100
    /// passes would run for tens of seconds; this caps a single verification at
    /// roughly 2 GiB of memory traffic (about 110× the OWASP setting).
    static let work: UInt64 = 2_097_152
    static let saltBytes: ClosedRange<Int> = 8...64
    static let hashBytes: ClosedRange<Int> = 16...64
    /// Longest PHC string the limits above can produce is about 220 characters.
    static let encodedBytes = 512

    static func check(
        memoryKiB: UInt64, iterations: UInt64, parallelism: UInt64, saltBytes: Int, hashBytes: Int
    ) throws(PasswordError) {
        guard Limits.memoryKiB.contains(memoryKiB) else { throw .outOfRange("m") }
        guard Limits.iterations.contains(iterations) else { throw .outOfRange("t") }
        guard Limits.parallelism.contains(parallelism) else { throw .outOfRange("p") }
        // Argon2 needs at least 8 KiB per lane; libargon2 would reject it anyway,
        // but as a generic library error instead of a clear one.
        guard memoryKiB >= 8 * parallelism else { throw .outOfRange("m") }
        // Both factors are bounded above, so this product cannot overflow.
        guard memoryKiB * iterations <= Limits.work else { throw .outOfRange("m*t") }
        guard Limits.saltBytes.contains(saltBytes) else { throw .outOfRange("salt") }
        guard Limits.hashBytes.contains(hashBytes) else { throw .outOfRange("hash") }
    }
}

/// A parsed and range-checked `$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>` string.
///
/// Deliberately stricter than libargon2's own decoder (exact field order, no
/// missing version, canonical numbers and base64), so anything accepted here is
/// read by libargon2 with the same values.
struct EncodedHash: Equatable {
    var memoryKiB: UInt32
    var iterations: UInt32
    var parallelism: UInt32
    var salt: [UInt8]
    var hash: [UInt8]

    init(parsing encoded: String) throws(PasswordError) {
        let bytes = Array(encoded.utf8)
        guard !bytes.isEmpty else { throw .malformed("empty") }
        guard bytes.count <= Limits.encodedBytes else { throw .malformed("too long") }

        let fields = bytes.split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0].isEmpty else { throw .malformed("expected 5 '$'-separated fields") }
        guard fields[1].elementsEqual("argon2id".utf8) else { throw .malformed("algorithm is not argon2id") }
        guard fields[2].elementsEqual("v=19".utf8) else { throw .malformed("version is not 19") }

        let costs = fields[3].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard costs.count == 3 else { throw .malformed("expected m=,t=,p=") }
        let m = try Self.decimal(costs[0], key: "m")
        let t = try Self.decimal(costs[1], key: "t")
        let p = try Self.decimal(costs[2], key: "p")

        guard !fields[4].isEmpty, !fields[5].isEmpty else { throw .malformed("empty salt or hash") }
        guard let salt = Base64.decode(fields[4]) else { throw .malformed("salt is not base64") }
        guard let hash = Base64.decode(fields[5]) else { throw .malformed("hash is not base64") }

        try Limits.check(memoryKiB: m, iterations: t, parallelism: p, saltBytes: salt.count, hashBytes: hash.count)
        // The checks above bound all three far below UInt32.max; `exactly` only
        // spares us a trapping conversion should the limits ever be raised.
        guard let m32 = UInt32(exactly: m), let t32 = UInt32(exactly: t), let p32 = UInt32(exactly: p) else {
            throw .outOfRange("m/t/p")
        }
        self.memoryKiB = m32
        self.iterations = t32
        self.parallelism = p32
        self.salt = salt
        self.hash = hash
    }

    /// Parses `key=digits`. More than 10 digits is reported as out of range rather
    /// than malformed: it is a number, just an absurd one.
    private static func decimal(_ field: ArraySlice<UInt8>, key: String) throws(PasswordError) -> UInt64 {
        let prefix = Array(key.utf8) + [UInt8(ascii: "=")]
        guard field.starts(with: prefix) else { throw .malformed("expected \(key)=") }
        let digits = field.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .malformed("\(key) is not a decimal number")
        }
        guard digits.count == 1 || digits.first != UInt8(ascii: "0") else {
            throw .malformed("\(key) has leading zeros")
        }
        guard digits.count <= 10 else { throw .outOfRange(key) }
        // At most 10 digits: the value is below 10^10, far from UInt64 overflow.
        return digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) }
    }
}

/// Standard-alphabet base64 without padding, the variant PHC strings and libargon2 use.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let b0 = UInt32(bytes[index])
            let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(group >> 18 & 63)])
            out.append(alphabet[Int(group >> 12 & 63)])
            if remaining > 1 { out.append(alphabet[Int(group >> 6 & 63)]) }
            if remaining > 2 { out.append(alphabet[Int(group & 63)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Returns nil for any character outside the alphabet, a length that no byte
    /// count encodes to, or non-zero leftover bits (which libargon2 also rejects).
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in text {
            guard let value = sextet(character) else { return nil }
            accumulator = (accumulator << 6 | UInt32(value)) & 0xFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        let leftoverMask: UInt32 = (1 << UInt32(bits)) - 1
        guard accumulator & leftoverMask == 0 else { return nil }
        return out
    }

    private static func sextet(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
