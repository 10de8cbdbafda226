import Crypto
import Foundation
import KoniJSON
import KoniServiceKit
import _CryptoExtras

/// An RSA key pair made for the test run, and tokens signed (or forged) with it.
package enum TestKeys {
    package static let privateKey: _RSA.Signing.PrivateKey = {
        do { return try _RSA.Signing.PrivateKey(keySize: .bits2048) } catch { fatalError("cannot make an RSA key: \(error)") }
    }()
    package static var publicKeyPEM: String { privateKey.publicKey.pemRepresentation }

    /// The claims the Auth service would sign: the permissions follow from the roles by the matrix
    /// (a per-branch role is taken as granted for `tenantID`).
    package static func claims(roles: [String], tenantID: UUID? = nil, subject: String? = nil, expiresIn: TimeInterval = 900) -> JSONValue {
        let grants = roles.map { role in (role: role, tenantID: RoleMatrix.role(role)?.perBranch == true ? tenantID : nil) }
        let permissions = PermissionTable.matrix.claims(for: grants, tenant: tenantID).permissions
        var pairs: [(key: String, value: JSONValue)] = [
            ("sub", .string(subject ?? UUID().uuidString.lowercased())), ("email", .string("admin@koni.id")), ("roles", .array(roles.map { .string($0) })),
            ("permissions", .array(permissions.map { .string($0) })), ("exp", .number(Double(Int(Date().timeIntervalSince1970 + expiresIn)))),
            ("iss", .string(JWTVerifier.Expectations.defaultIssuer)), ("aud", .string(JWTVerifier.Expectations.defaultAudience)),
            ("nbf", .number(Double(Int(Date().timeIntervalSince1970) - 1))),
        ]
        if let tenantID { pairs.append(("tenant_id", .string(tenantID.uuidString.lowercased()))) }
        return .object(pairs)
    }

    /// A valid RS256 token.
    package static func token(roles: [String], tenantID: UUID? = nil, subject: String? = nil, expiresIn: TimeInterval = 900) throws -> String {
        try sign(
            header: .object([("alg", .string("RS256")), ("typ", .string("JWT"))]),
            claims: claims(roles: roles, tenantID: tenantID, subject: subject, expiresIn: expiresIn)
        )
    }

    package static func sign(header: JSONValue, claims: JSONValue, with key: _RSA.Signing.PrivateKey = privateKey) throws -> String {
        let input = Base64URL.encode(header.jsonBytes) + "." + Base64URL.encode(claims.jsonBytes)
        let signature = try key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        return input + "." + Base64URL.encode(signature.rawRepresentation)
    }

    package static let admin = { () -> String in (try? token(roles: ["admin"])) ?? "" }()
}
