import AuthService
import Foundation
import KoniTestSupport
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import Testing

/// Accounts against the real PostgreSQL and Redis: registration, login, the same answer for an
/// unknown account and a wrong password, lockout, refresh rotation and reuse, password change.
@Suite struct AccountTests {
    @Test func registerLoginAndMe() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let email = freshEmail()
            let registered = try await client.register(email)
            #expect(registered.status == .created, "\(registered.text)")
            #expect(registered.json["email"]?.string == email)
            #expect(!registered.text.contains("argon2"), "the hash never leaves the service")

            let duplicate = try await client.register(email.uppercased())
            #expect(duplicate.status == .conflict)
            #expect(duplicate.json["error"]?["field"]?.string == "email")

            let weak = try await client.register(freshEmail(), password: "password")
            #expect(weak.status == .unprocessableContent)
            #expect(weak.json["error"]?["field"]?.string == "password")

            let login = try await client.login(email)
            #expect(login.status == .ok)
            let cookie = try #require(login.setCookie("__Host-koni-refresh"))
            for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] { #expect(cookie.contains(attribute), "\(cookie)") }
            #expect(login.json["refresh_token"] == nil, "the browser's refresh token is only in the cookie")
            let token = try #require(login.json["access_token"]?.string)
            let payload = claims(of: token)
            #expect(payload["roles"]?.strings == ["user"])
            #expect(payload["permissions"]?.strings.contains("marketplace:buy") == true)
            #expect(payload["iss"]?.string == "https://app.koni.id")
            #expect(payload["aud"]?.string == "https://api.koni.id" || payload["aud"]?.strings == ["https://api.koni.id"])
            #expect(header(of: token)["kid"]?.string != nil)
            if let exp = payload["exp"], case .number(let e) = exp, let iat = payload["iat"], case .number(let i) = iat { #expect(e - i == 900) }

            let me = try await client.call(.get, "/api/v1/auth/me", token: token)
            #expect(me.status == .ok)
            #expect(me.json["user"]?["email"]?.string == email)
            #expect(try await client.call(.get, "/api/v1/auth/me").status == .unauthorized)
            #expect(await eventually { app.publisher.recorded.contains { $0.type == "user.registered" } }, "user.registered left through the outbox")
        }
    }

    @Test func unknownAccountAndWrongPasswordGetTheSameAnswer() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let email = freshEmail()
            _ = try await client.register(email)
            let wrong = try await client.login(email, password: "Salah-Sekali-123")
            let unknown = try await client.login(freshEmail("tidak-ada"), password: "Salah-Sekali-123")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.status == unknown.status)
            #expect(wrong.text == unknown.text)
        }
    }

    @Test func anAccountIsLockedAfterFiveFailuresEvenForTheRightPassword() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let email = freshEmail()
            _ = try await client.register(email)
            for _ in 0..<5 { #expect(try await client.login(email, password: "Salah-Sekali-123").status == .unauthorized) }
            let locked = try await client.login(email)
            #expect(locked.status == .tooManyRequests)
            let retry = try #require(locked.headers[.retryAfter].flatMap(Int.init))
            #expect(retry > 0 && retry <= 900)
            // Another account is not affected.
            let other = freshEmail()
            _ = try await client.register(other)
            #expect(try await client.login(other).status == .ok)
        }
    }

    @Test func oneClientAddressIsLimitedAcrossAccounts() async throws {
        var app = try await AuthTestApp()
        app.configuration.addressAttempts = 3
        try await app.application().test(.router) { client in
            var statuses: [Int] = []
            for _ in 0..<5 { statuses.append(try await client.login(freshEmail("spray"), password: "Salah-Sekali-123").status.code) }
            #expect(statuses == [401, 401, 401, 429, 429])
        }
    }

    @Test func refreshRotatesAndAReusedTokenRevokesItsFamily() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let email = freshEmail()
            _ = try await client.register(email)
            let login = try await client.login(email)
            let first = try #require(login.cookies["__Host-koni-refresh"])
            let rotated = try await client.call(.post, "/api/v1/auth/refresh", cookies: ["__Host-koni-refresh": first])
            #expect(rotated.status == .ok)
            let second = try #require(rotated.cookies["__Host-koni-refresh"])
            #expect(second != first)
            #expect(rotated.json["access_token"]?.string != nil)

            // The first token again: a copy is in use, so the whole family ends, the new token too.
            let reused = try await client.call(.post, "/api/v1/auth/refresh", cookies: ["__Host-koni-refresh": first])
            #expect(reused.status == .unauthorized)
            #expect(reused.json["error"]?["code"]?.string == "invalid_grant")
            #expect(try await client.call(.post, "/api/v1/auth/refresh", cookies: ["__Host-koni-refresh": second]).status == .unauthorized)
            #expect(try await client.call(.post, "/api/v1/auth/refresh", json: .object([("refresh_token", .string("x"))])).status == .unauthorized)
        }
    }

    @Test func changingThePasswordRevokesEveryRefreshToken() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let email = freshEmail()
            _ = try await client.register(email)
            let login = try await client.login(email)
            let token = try #require(login.json["access_token"]?.string)
            let refresh = try #require(login.cookies["__Host-koni-refresh"])
            let wrongCurrent = try await client.call(
                .post, "/api/v1/auth/password",
                json: .object([
                    ("current_password", .string("bukan-ini-123")), ("new_password", .string("Merah-Putih-1945!")),
                ]), token: token)
            #expect(wrongCurrent.status == .unprocessableContent)
            let changed = try await client.call(
                .post, "/api/v1/auth/password",
                json: .object([
                    ("current_password", .string(goodPassword)), ("new_password", .string("Merah-Putih-1945!")),
                ]), token: token)
            #expect(changed.status == .noContent, "\(changed.text)")
            #expect(try await client.call(.post, "/api/v1/auth/refresh", cookies: ["__Host-koni-refresh": refresh]).status == .unauthorized)
            #expect(try await client.login(email).status == .unauthorized)
            #expect(try await client.login(email, password: "Merah-Putih-1945!").status == .ok)
        }
    }

    @Test func internalUsersNeedTheServiceKey() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let email = freshEmail()
            let id = try #require(try await client.register(email).json["id"]?.string)
            #expect(try await client.call(.get, "/internal/users/\(id)").status == .unauthorized)
            #expect(try await client.call(.get, "/internal/users/\(id)", headers: [.init("X-Koni-Service-Key")!: "wrong"]).status == .unauthorized)
            let found = try await client.call(.get, "/internal/users/\(id)", headers: [.init("X-Koni-Service-Key")!: AuthTestApp.serviceKey])
            #expect(found.status == .ok)
            #expect(found.json["user"]?["email"]?.string == email)
            #expect(found.json["grants"]?.array?.first?["role"]?.string == "user")
        }
    }
}
