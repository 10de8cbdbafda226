import AuthService
import ComproModel
import Foundation
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import Testing

/// The SSO flow of the seed, hardened as RFC 9700 asks, against the real PostgreSQL and Redis.
@Suite struct SSOTests {
    static let jatim = "https://jatim.koni.id/auth/callback"
    static let jabar = "https://jabar.koni.id/auth/callback"

    static func loginPath(_ redirect: String, state: String = "xyz", challenge: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return "/auth/login?redirect_uri=\(encode(redirect))&state=\(encode(state))&code_challenge=\(challenge)&code_challenge_method=S256"
    }

    /// Opens the form, posts the password; the response (a 303 to the branch on success) and the cookies.
    static func logIn(
        _ client: some TestClientProtocol, email: String, password: String = goodPassword, redirect: String = jatim, state: String = "xyz", pkce: PKCE
    ) async throws -> Reply {
        let form = try await client.call(.get, loginPath(redirect, state: state, challenge: pkce.challenge))
        let csrf = try #require(form.cookies["__Host-koni-csrf"])
        return try await client.call(
            .post, "/auth/login",
            form: [
                ("csrf", csrf), ("email", email), ("password", password), ("redirect_uri", redirect), ("state", state),
                ("code_challenge", pkce.challenge), ("code_challenge_method", "S256"),
            ], cookies: ["__Host-koni-csrf": csrf], headers: [.init("Sec-Fetch-Site")!: "same-origin", .origin: "https://app.koni.id"])
    }

    static func code(from location: String?) -> String? {
        location.flatMap { URLComponents(string: $0)?.queryItems?.first { $0.name == "code" }?.value }
    }

    static func exchange(_ client: some TestClientProtocol, code: String, verifier: String, redirect: String = jatim) async throws -> Reply {
        try await client.call(
            .post, "/api/v1/auth/exchange",
            json: .object([
                ("code", .string(code)), ("code_verifier", .string(verifier)), ("redirect_uri", .string(redirect)),
            ]))
    }

    @Test func aBranchLoginEndsWithATokenForThatBranchAndASecondBranchNeedsNoPassword() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let email = freshEmail()
            _ = try await client.register(email)
            let pkce = PKCE()
            let form = try await client.call(.get, Self.loginPath(Self.jatim, challenge: pkce.challenge))
            #expect(form.status == .ok)
            #expect(form.text.contains("lang=\"id\"") && form.text.contains("<label for=\"password\">Kata sandi</label>"))
            #expect(form.text.contains("KONI Provinsi Jawa Timur"))
            #expect(form.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)

            let posted = try await Self.logIn(client, email: email, state: "a b&c", pkce: pkce)
            #expect(posted.status == .seeOther, "\(posted.text)")
            let location = try #require(posted.headers[.location])
            #expect(location.hasPrefix(Self.jatim + "?code="))
            #expect(URLComponents(string: location)?.queryItems?.first { $0.name == "state" }?.value == "a b&c")
            let session = try #require(posted.cookies["__Host-koni-sso"])
            #expect(posted.setCookie("__Host-koni-sso")?.contains("SameSite=Lax") == true)

            let exchanged = try await Self.exchange(client, code: try #require(Self.code(from: location)), verifier: pkce.verifier)
            #expect(exchanged.status == .ok, "\(exchanged.text)")
            let token = try #require(exchanged.json["access_token"]?.string)
            #expect(claims(of: token)["tenant_id"]?.string == BranchID.derived(slug: "jatim").uuidString.lowercased())
            #expect(exchanged.json["tenant"]?["slug"]?.string == "jatim")
            #expect(exchanged.json["refresh_token"]?.string != nil, "the branch's server keeps the refresh token")

            // jabar: the browser still has its app.koni.id session, so no form, straight back with a code.
            let second = PKCE()
            let silent = try await client.call(.get, Self.loginPath(Self.jabar, challenge: second.challenge), cookies: ["__Host-koni-sso": session])
            #expect(silent.status == .seeOther)
            let jabarCode = try #require(Self.code(from: silent.headers[.location]))
            #expect(silent.headers[.location]?.hasPrefix(Self.jabar) == true)
            let jabarToken = try await Self.exchange(client, code: jabarCode, verifier: second.verifier, redirect: Self.jabar)
            #expect(claims(of: jabarToken.json["access_token"]?.string ?? "")["tenant_id"]?.string == BranchID.derived(slug: "jabar").uuidString.lowercased())
        }
    }

    @Test func aWrongPasswordShowsTheFormAgainWithAnAnnouncedError() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let email = freshEmail()
            _ = try await client.register(email)
            let failed = try await Self.logIn(client, email: email, password: "Salah-Sekali-123", pkce: PKCE())
            #expect(failed.status == .unauthorized)
            #expect(failed.text.contains("role=\"alert\"") && failed.text.contains("Email atau kata sandi salah."))
            #expect(failed.text.contains("aria-invalid=\"true\""))
            #expect(failed.headers[.location] == nil)
            #expect(failed.cookies["__Host-koni-sso"] == nil)
        }
    }

    @Test func redirectsToUnregisteredPlacesAreRefusedNeverFollowed() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let pkce = PKCE()
            for redirect in [
                "https://evil.example/auth/callback", "https://jatim.koni.id.evil.example/auth/callback", "http://jatim.koni.id/auth/callback",
                "https://jatim.koni.id/auth/callback/../../x", "https://jatim.koni.id/auth/callback?next=https://evil.example",
                "https://jatim.koni.id:444/auth/callback", "https://JATIM.koni.id/auth/callback#x", "//evil.example/auth/callback",
                "https://jatim.koni.id@evil.example/auth/callback",
            ] {
                let reply = try await client.call(.get, Self.loginPath(redirect, challenge: pkce.challenge))
                #expect(reply.status == .badRequest, "\(redirect)")
                #expect(reply.headers[.location] == nil, "\(redirect)")
            }
            // A registered redirect without PKCE S256 is refused too.
            let plain = try await client.call(
                .get, "/auth/login?redirect_uri=https%3A%2F%2Fjatim.koni.id%2Fauth%2Fcallback&state=x&code_challenge=abc&code_challenge_method=plain")
            #expect(plain.status == .badRequest)
        }
    }

    @Test func theFormIsProtectedAgainstCrossSitePostsAndEscapesWhatItEchoes() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let pkce = PKCE()
            let form = try await client.call(.get, Self.loginPath(Self.jatim, state: "\"><script>alert(1)</script>", challenge: pkce.challenge))
            #expect(form.status == .ok)
            #expect(!form.text.contains("<script>alert(1)</script>"))
            let csrf = try #require(form.cookies["__Host-koni-csrf"])
            let fields = [
                ("email", "a@koni.id"), ("password", goodPassword), ("redirect_uri", Self.jatim), ("state", "s"), ("code_challenge", pkce.challenge),
                ("code_challenge_method", "S256"),
            ]
            let noToken = try await client.call(.post, "/auth/login", form: fields, cookies: ["__Host-koni-csrf": csrf])
            #expect(noToken.status == .forbidden)
            // One character changed (a token that already starts with "x" must not stay itself: 1 run in 64 did).
            let forged = (csrf.first == "x" ? "y" : "x") + csrf.dropFirst()
            let wrongToken = try await client.call(.post, "/auth/login", form: fields + [("csrf", forged)], cookies: ["__Host-koni-csrf": csrf])
            #expect(wrongToken.status == .forbidden)
            let crossSite = try await client.call(
                .post, "/auth/login", form: fields + [("csrf", csrf)], cookies: ["__Host-koni-csrf": csrf], headers: [.origin: "https://evil.example"])
            #expect(crossSite.status == .forbidden)
            let fetchSite = try await client.call(
                .post, "/auth/login", form: fields + [("csrf", csrf)], cookies: ["__Host-koni-csrf": csrf], headers: [.init("Sec-Fetch-Site")!: "cross-site"])
            #expect(fetchSite.status == .forbidden)
        }
    }

    @Test func aCodeIsUsedOnceWithItsVerifierAndRedirectAndAReplayRevokesWhatItIssued() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let email = freshEmail()
            _ = try await client.register(email)

            // A wrong verifier burns the code.
            let first = PKCE()
            let burnt = try #require(Self.code(from: try await Self.logIn(client, email: email, pkce: first).headers[.location]))
            #expect(try await Self.exchange(client, code: burnt, verifier: PKCE().verifier).json["error"]?["code"]?.string == "invalid_grant")
            #expect(try await Self.exchange(client, code: burnt, verifier: first.verifier).status == .badRequest)

            // A code for jatim cannot be redeemed as jabar's (a foreign code).
            let second = PKCE()
            let foreign = try #require(Self.code(from: try await Self.logIn(client, email: email, pkce: second).headers[.location]))
            #expect(try await Self.exchange(client, code: foreign, verifier: second.verifier, redirect: Self.jabar).status == .badRequest)

            // A replayed code: refused, and the refresh token the first exchange issued is revoked.
            let third = PKCE()
            let code = try #require(Self.code(from: try await Self.logIn(client, email: email, pkce: third).headers[.location]))
            let good = try await Self.exchange(client, code: code, verifier: third.verifier)
            #expect(good.status == .ok)
            let refresh = try #require(good.json["refresh_token"]?.string)
            let replay = try await Self.exchange(client, code: code, verifier: third.verifier)
            #expect(replay.status == .badRequest)
            #expect(replay.json["error"]?["message"]?.string?.contains("revoked") == true)
            #expect(try await client.call(.post, "/api/v1/auth/refresh", json: .object([("refresh_token", .string(refresh))])).status == .unauthorized)

            // Unknown codes and malformed verifiers.
            #expect(try await Self.exchange(client, code: "nope", verifier: third.verifier).status == .badRequest)
            #expect(try await Self.exchange(client, code: String(repeating: "x", count: 5000), verifier: "short").status == .badRequest)
        }
    }

    @Test func aCodeExpires() async throws {
        var app = try await AuthTestApp()
        app.configuration.codeLifetime = .seconds(1)
        try await app.application().test(.router) { client in
            let email = freshEmail()
            _ = try await client.register(email)
            let pkce = PKCE()
            let code = try #require(Self.code(from: try await Self.logIn(client, email: email, pkce: pkce).headers[.location]))
            try await Task.sleep(for: .milliseconds(1500))
            let late = try await Self.exchange(client, code: code, verifier: pkce.verifier)
            #expect(late.status == .badRequest)
            #expect(late.json["error"]?["message"]?.string?.contains("expired") == true)
        }
    }
}
