import Foundation
import JWTKit
import KoniJSON
import KoniServiceKit

/// The Auth service's RS256 signing keys, kept in a folder the operator owns:
/// `keyring.json` (which key signs, and until when each older key is still published) and one
/// `<kid>.pem` private key per key (mode 0600).
///
/// Rotation has an overlap: `auth-service keys rotate` makes a new key the signing key and keeps
/// the previous one in the JWKS until its `retire_at` (by default a day; at least the access
/// token lifetime), so tokens signed just before the rotation stay valid until they expire and
/// every verifier has time to fetch the new key. `keys prune` deletes keys past `retire_at`.
package struct SigningKeyRing: Sendable {
    package struct Entry: Sendable, Equatable {
        package var kid: String
        package var createdAt: Date
        /// nil for the signing key; else when it leaves the JWKS.
        package var retireAt: Date?
    }

    package let directory: String
    package var signingKID: String
    package var entries: [Entry]

    static let manifest = "keyring.json"

    /// Reads the manifest and checks that every key it names is there.
    package static func load(directory: String) throws(KeyRingError) -> SigningKeyRing {
        let path = "\(directory)/\(manifest)"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyRingError("\(path) is missing; create the first key with `auth-service keys generate --keys \(directory)`")
        }
        guard data.count <= 64 * 1024 else { throw KeyRingError("\(path) is larger than 64 KiB") }
        do {
            let fields = try JSONFields(try JSONValue.parse(Array(data)), path: manifest)
            let signing = try fields.requiredString("signing")
            var entries: [Entry] = []
            for key in try fields.objectList("keys") {
                let kid = try key.requiredString("kid")
                guard isValidKID(kid) else { throw key.error("kid", "'\(kid)' is not 1-64 letters, digits, '-' or '_'") }
                guard let created = RFC3339.date(try key.requiredString("created_at")) else { throw key.error("created_at", "not an RFC 3339 time") }
                var retire: Date?
                if let text = try key.string("retire_at") {
                    guard let date = RFC3339.date(text) else { throw key.error("retire_at", "not an RFC 3339 time") }
                    retire = date
                }
                entries.append(Entry(kid: kid, createdAt: created, retireAt: retire))
            }
            guard entries.contains(where: { $0.kid == signing }) else { throw fields.error("signing", "names no key of 'keys'") }
            return SigningKeyRing(directory: directory, signingKID: signing, entries: entries)
        } catch let error as FieldError {
            throw KeyRingError("\(path): \(error)")
        } catch {
            throw KeyRingError("\(path): \(error)")
        }
    }

    /// Key ids become file names: a strict alphabet keeps them from naming anything else.
    static func isValidKID(_ kid: String) -> Bool {
        !kid.isEmpty && kid.utf8.count <= 64 && kid.utf8.allSatisfy { $0.isASCIILetterOrDigit || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// The private key of `kid`.
    package func privateKey(_ kid: String) throws(KeyRingError) -> Insecure.RSA.PrivateKey {
        guard Self.isValidKID(kid) else { throw KeyRingError("'\(kid)' is not a key id") }
        let path = "\(directory)/\(kid).pem"
        guard let data = FileManager.default.contents(atPath: path) else { throw KeyRingError("\(path) is missing") }
        do {
            return try Insecure.RSA.PrivateKey(pem: String(decoding: data, as: UTF8.self))
        } catch {
            throw KeyRingError("\(path) is not an RSA private key in PEM form: \(error)")
        }
    }

    /// Keys still published at `now`: the signing key and those whose overlap has not ended.
    package func published(at now: Date) -> [Entry] {
        entries.filter { $0.kid == signingKID || ($0.retireAt.map { $0 > now } ?? true) }
    }

    /// The manifest's JSON.
    func manifestJSON() -> JSONValue {
        .object([
            ("signing", .string(signingKID)),
            (
                "keys",
                .array(
                    entries.map { entry in
                        .object([
                            ("kid", .string(entry.kid)), ("created_at", .string(RFC3339.string(entry.createdAt))),
                            ("retire_at", entry.retireAt.map { .string(RFC3339.string($0)) } ?? .null),
                        ])
                    })
            ),
        ])
    }
}

/// What is wrong with the key folder, naming the file.
package struct KeyRingError: Error, Sendable, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}

extension UInt8 {
    var isASCIILetterOrDigit: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
