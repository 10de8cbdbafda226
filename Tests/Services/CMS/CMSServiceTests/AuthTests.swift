import Crypto
import Foundation
import KoniServiceTestSupport
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import Testing
import _CryptoExtras

/// Who may change what, and which tokens are refused.
@Suite struct AuthTests {
    @Test func rolesDecideWhichTenantsCanBeChanged() async throws {
        let test = try await CMSTestApp()
        let app = try await test.application(publisher: RecordingPublisher())
        let jatim = UUID(), jabar = UUID()
        try await app.test(.router) { client in
            #expect(try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim", id: jatim)).status == .created)
            #expect(
                try await client.send(
                    .post, "/api/v1/cms/admin/sites", token: try TestKeys.token(roles: ["superadmin"]), json: Samples.site(slug: "jabar", id: jabar)
                ).status == .created)
            let cabangJatim = try TestKeys.token(roles: ["admin-cabang"], tenantID: jatim)
            // Only global admins add tenants.
            let denied = try await client.send(.post, "/api/v1/cms/admin/sites", token: cabangJatim, json: Samples.site(slug: "dki"))
            #expect(denied.status == .forbidden)
            #expect(denied.body["error"]?["code"] == .string("forbidden"))
            // admin-cabang: own tenant yes, another no.
            #expect(try await client.send(.post, "/api/v1/cms/admin/sites/jatim/news", token: cabangJatim, json: Samples.news("a")).status == .created)
            #expect(try await client.send(.post, "/api/v1/cms/admin/sites/jabar/news", token: cabangJatim, json: Samples.news("a")).status == .forbidden)
            #expect(try await client.send(.get, "/api/v1/cms/admin/sites/jabar/news", token: cabangJatim).status == .forbidden)
            // admin and superadmin: any tenant.
            #expect(
                try await client.send(.post, "/api/v1/cms/admin/sites/jabar/news", token: try TestKeys.token(roles: ["admin"]), json: Samples.news("b")).status
                    == .created)
            #expect(
                try await client.send(.post, "/api/v1/cms/admin/sites/jatim/news", token: try TestKeys.token(roles: ["superadmin"]), json: Samples.news("b"))
                    .status == .created)
            // Other roles: never.
            for role in ["user", "player", "merchant", "official-team", "game-admin", "guardian"] {
                let reply = try await client.send(
                    .post, "/api/v1/cms/admin/sites/jatim/news", token: try TestKeys.token(roles: [role], tenantID: jatim), json: Samples.news("c"))
                #expect(reply.status == .forbidden, "\(role)")
            }
        }
        #expect(try await test.query("SELECT count(*) FROM cms_news", as: Int.self) == [3])
    }

    @Test func badTokensAreRefusedAndChangeNothing() async throws {
        let test = try await CMSTestApp()
        let app = try await test.application(publisher: RecordingPublisher())
        let claims = TestKeys.claims(roles: ["superadmin"])
        let otherKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let unsigned =
            Base64URL.encode(JSONValue.object([("alg", .string("none")), ("typ", .string("JWT"))]).jsonBytes) + "." + Base64URL.encode(claims.jsonBytes) + "."
        // HS256 "signed" with the public key as the secret: the classic algorithm-confusion attack.
        let hsInput =
            Base64URL.encode(JSONValue.object([("alg", .string("HS256")), ("typ", .string("JWT"))]).jsonBytes) + "." + Base64URL.encode(claims.jsonBytes)
        let hsSignature = HMAC<SHA256>.authenticationCode(for: Data(hsInput.utf8), using: SymmetricKey(data: Data(TestKeys.publicKeyPEM.utf8)))
        let hs256 = hsInput + "." + Base64URL.encode(Data(hsSignature))
        let tampered: String = {
            let good = (try? TestKeys.token(roles: ["user"])) ?? ""
            let parts = good.split(separator: ".")
            return parts[0] + "." + Base64URL.encode(claims.jsonBytes) + "." + parts[2]
        }()
        let tokens: [(String, String?)] = [
            ("missing", nil),
            ("expired beyond the leeway", try TestKeys.token(roles: ["superadmin"], expiresIn: -61)),
            ("forged with another key", try TestKeys.sign(header: .object([("alg", .string("RS256"))]), claims: claims, with: otherKey)),
            ("alg none", unsigned),
            ("HS256", hs256),
            ("RS384 header", try TestKeys.sign(header: .object([("alg", .string("RS384"))]), claims: claims)),
            ("payload swapped", tampered),
            ("no exp", try TestKeys.sign(header: .object([("alg", .string("RS256"))]), claims: claims.removing("exp"))),
            ("no iss", try TestKeys.sign(header: .object([("alg", .string("RS256"))]), claims: claims.removing("iss"))),
            ("no aud", try TestKeys.sign(header: .object([("alg", .string("RS256"))]), claims: claims.removing("aud"))),
            ("no nbf", try TestKeys.sign(header: .object([("alg", .string("RS256"))]), claims: claims.removing("nbf"))),
            ("other issuer", try TestKeys.sign(header: .object([("alg", .string("RS256"))]), claims: claims.setting("iss", .string("https://evil.example")))),
            (
                "for another audience",
                try TestKeys.sign(header: .object([("alg", .string("RS256"))]), claims: claims.setting("aud", .array([.string("https://media.koni.id")])))
            ),
            (
                "not valid yet",
                try TestKeys.sign(header: .object([("alg", .string("RS256"))]), claims: claims.setting("nbf", .number(Date().timeIntervalSince1970 + 600)))
            ),
            ("garbage", "not-a-token"),
        ]
        try await app.test(.router) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim"))
            for (name, token) in tokens {
                let reply = try await client.send(.post, "/api/v1/cms/admin/sites/jatim/news", token: token, json: Samples.news("x"))
                #expect(reply.status == .unauthorized, "\(name)")
                #expect(reply.body["error"]?["code"] == .string("unauthorized"), "\(name)")
                #expect(reply.headers[.wwwAuthenticate] == "Bearer", "\(name)")
            }
            let expired = try await client.send(.get, "/api/v1/cms/admin/sites/jatim/news", token: try TestKeys.token(roles: ["admin"], expiresIn: -120))
            #expect(expired.body["error"]?["message"] == .string("the token has expired"))
            // Within the leeway (60 s) of clock skew, a just-expired token and one whose nbf is a few seconds ahead still pass.
            #expect(
                try await client.send(.get, "/api/v1/cms/admin/sites/jatim/news", token: try TestKeys.token(roles: ["admin"], expiresIn: -20)).status == .ok)
            let early = try TestKeys.sign(
                header: .object([("alg", .string("RS256"))]), claims: claims.setting("nbf", .number(Double(Int(Date().timeIntervalSince1970) + 20))))
            #expect(try await client.send(.get, "/api/v1/cms/admin/sites/jatim/news", token: early).status == .ok)
        }
        #expect(try await test.query("SELECT count(*) FROM cms_news", as: Int.self) == [0])
    }
}
