import _CryptoExtras
import Foundation
import JWTKit

extension SigningKeyRing {
    /// The shortest overlap a rotation may have: an access token signed just before the rotation
    /// must stay verifiable until it expires.
    package static let minimumOverlap: Duration = .seconds(15 * 60)

    /// Creates the folder's first key; refuses when a key ring is already there.
    package static func generate(directory: String, now: Date = Date()) throws(KeyRingError) -> SigningKeyRing {
        guard !FileManager.default.fileExists(atPath: "\(directory)/\(manifest)") else {
            throw KeyRingError("\(directory)/\(manifest) exists; use `keys rotate` to add a key")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw KeyRingError("cannot create \(directory): \(error)")
        }
        let kid = try writeNewKey(directory: directory, now: now)
        let ring = SigningKeyRing(directory: directory, signingKID: kid, entries: [Entry(kid: kid, createdAt: now, retireAt: nil)])
        try ring.save()
        return ring
    }

    /// Makes a new key the signing key; the previous signing key stays published for `overlap`.
    package mutating func rotate(overlap: Duration, now: Date = Date()) throws(KeyRingError) {
        guard overlap >= Self.minimumOverlap else {
            throw KeyRingError("an overlap of \(overlap) is shorter than the access tokens' lifetime (\(Self.minimumOverlap))")
        }
        let kid = try Self.writeNewKey(directory: directory, now: now)
        let retire = now.addingTimeInterval(Double(overlap.components.seconds))
        for index in entries.indices where entries[index].kid == signingKID { entries[index].retireAt = retire }
        entries.append(Entry(kid: kid, createdAt: now, retireAt: nil))
        signingKID = kid
        try save()
    }

    /// Deletes the keys whose overlap has ended; returns their ids.
    @discardableResult
    package mutating func prune(now: Date = Date()) throws(KeyRingError) -> [String] {
        let expired = entries.filter { $0.kid != signingKID && ($0.retireAt.map { $0 <= now } ?? false) }.map(\.kid)
        guard !expired.isEmpty else { return [] }
        entries.removeAll { expired.contains($0.kid) }
        try save()
        for kid in expired { try? FileManager.default.removeItem(atPath: "\(directory)/\(kid).pem") }
        return expired
    }

    /// Writes the manifest through a temporary file and rename(2), so a reader never sees half of it.
    func save() throws(KeyRingError) {
        let path = "\(directory)/\(Self.manifest)"
        let temporary = "\(path).tmp-\(UUID().uuidString)"
        let bytes = manifestJSON().jsonBytes + [UInt8(ascii: "\n")]
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw KeyRingError("cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw KeyRingError("cannot replace \(path): errno \(errno)")
        }
    }

    /// A new 2048-bit RSA key in `<kid>.pem` (mode 0600); its id is the date and a random suffix.
    private static func writeNewKey(directory: String, now: Date) throws(KeyRingError) -> String {
        let stamp = RFC3339Day.string(now)
        let suffix = (0..<6).map { _ in String("abcdefghijklmnopqrstuvwxyz0123456789".randomElement() ?? "x") }.joined()
        let kid = "\(stamp)-\(suffix)"
        let key: _RSA.Signing.PrivateKey
        do { key = try _RSA.Signing.PrivateKey(keySize: .bits2048) } catch { throw KeyRingError("cannot generate an RSA key: \(error)") }
        let path = "\(directory)/\(kid).pem"
        guard FileManager.default.createFile(atPath: path, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw KeyRingError("cannot write \(path)")
        }
        return kid
    }
}

/// `20261204` for key ids: sortable, and says when a key was made.
enum RFC3339Day {
    static func string(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let year = parts.year ?? 0, month = parts.month ?? 0, day = parts.day ?? 0
        return String(year) + (month < 10 ? "0" : "") + String(month) + (day < 10 ? "0" : "") + String(day)
    }
}
