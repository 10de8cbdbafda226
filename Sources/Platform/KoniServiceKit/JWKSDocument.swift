import Foundation
import JWTKit
import KoniJSON

/// A JSON Web Key Set (RFC 7517) of RS256 signing keys: written by the Auth service at
/// `/.well-known/jwks.json` and read by every service that verifies its tokens.
///
/// Reading treats the document as outside data even though it comes from our own service (a
/// proxy or a misconfigured URL can answer anything): the size, the number of keys and each
/// key's fields are checked, and only RSA signature keys of at least 2048 bits for RS256 are kept.
public struct JWKSDocument: Sendable {
    /// One published key: its id and the RSA public key.
    public struct Key: Sendable {
        public var kid: String
        public var publicKey: Insecure.RSA.PublicKey

        public init(kid: String, publicKey: Insecure.RSA.PublicKey) {
            self.kid = kid
            self.publicKey = publicKey
        }
    }

    public var keys: [Key]

    public static let maximumBytes = 64 * 1024
    public static let maximumKeys = 16
    public static let maximumKeyIDLength = 128

    public init(keys: [Key]) { self.keys = keys }

    /// The document's JSON: `{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":…,"n":…,"e":…}]}`.
    public func json() throws -> JSONValue {
        var entries: [JSONValue] = []
        for key in keys {
            let (modulus, exponent) = try key.publicKey.getKeyPrimitives()
            entries.append(
                .object([
                    ("kty", .string("RSA")), ("use", .string("sig")), ("alg", .string("RS256")), ("kid", .string(key.kid)),
                    ("n", .string(Base64URL.encode(modulus))), ("e", .string(Base64URL.encode(exponent))),
                ]))
        }
        return .object([("keys", .array(entries))])
    }

    /// Reads a key set; errors name the key and field.
    public static func parse(_ bytes: [UInt8]) throws(FieldError) -> JWKSDocument {
        guard bytes.count <= maximumBytes else {
            throw FieldError(field: "jwks", reason: "\(bytes.count) bytes; at most \(maximumBytes) are read")
        }
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch { throw FieldError(field: "jwks", reason: error.description) }
        let document = try JSONFields(value, path: "jwks")
        let entries = try document.objectList("keys")
        guard entries.count <= maximumKeys else { throw document.error("keys", "\(entries.count) keys; at most \(maximumKeys)") }
        var keys: [Key] = []
        for entry in entries {
            guard try entry.requiredString("kty") == "RSA" else { continue }
            if let use = try entry.string("use"), use != "sig" { continue }
            if let alg = try entry.string("alg"), alg != "RS256" { continue }
            let kid = try entry.requiredString("kid")
            guard !kid.isEmpty, kid.utf8.count <= maximumKeyIDLength else {
                throw entry.error("kid", "must be 1 to \(maximumKeyIDLength) bytes")
            }
            let modulus = try entry.requiredString("n")
            let exponent = try entry.requiredString("e")
            guard let modulusBytes = Base64URL.decode(modulus), modulusBytes.drop(while: { $0 == 0 }).count >= 256 else {
                throw entry.error("n", "is not a base64url RSA modulus of at least 2048 bits")
            }
            guard exponent.utf8.count <= 8, Base64URL.decode(exponent) != nil else { throw entry.error("e", "is not a base64url RSA exponent") }
            do {
                keys.append(Key(kid: kid, publicKey: try Insecure.RSA.PublicKey(modulus: modulus, exponent: exponent)))
            } catch {
                throw entry.error("n", "is not a usable RSA public key: \(error)")
            }
        }
        return JWKSDocument(keys: keys)
    }
}
