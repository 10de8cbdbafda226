import Crypto
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

extension AdminAPI {
    func registerLogin(on router: Router<KoniRequestContext>) {
        router.get("/admin/masuk") { request, _ in try await startLogin(request) }
        router.get("/auth/callback") { request, context in try await callback(request, context) }
        router.post("/admin/keluar") { request, _ in
            try await formPost(request) { signedIn, _ in
                try await sessions.end(signedIn.sessionID)
                _ = try? await auth.call(.POST, "/api/v1/auth/logout", json: .object([("refresh_token", .string(signedIn.session.refreshToken))]))
                var response = message(
                    .ok, "Anda telah keluar", "Sesi admin \(signedIn.branch.name) sudah diakhiri.", link: "/admin/masuk", linkText: "Masuk lagi")
                response.setCookie(Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true, sameSite: .lax))
                return response
            }
        }
    }

    /// `GET /admin/masuk`: a PKCE pair and a `state` kept here, then to the app's login page.
    func startLogin(_ request: Request) async throws -> Response {
        // The host without its port: `branch(host:)` matched it exactly against a registered domain.
        guard let host = request.head.authority, branches.branch(host: host) != nil,
            let domain = host.split(separator: ":").first.map({ $0.lowercased() })
        else {
            return message(.notFound, "Situs tidak dikenal", "Alamat ini bukan situs cabang KONI yang terdaftar.")
        }
        let verifier = SecretToken.random(bytes: 64)
        let state = try await sessions.startLogin(verifier: verifier, host: domain)
        let challenge = Base64URL.encode(SHA256.hash(data: Array(verifier.utf8)))
        var components = URLComponents()
        components.queryItems = [
            URLQueryItem(name: "redirect_uri", value: "https://\(domain)/auth/callback"), URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "code_challenge", value: challenge), URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        let query = components.percentEncodedQuery ?? ""
        return Response(status: .seeOther, headers: [.location: "\(settings.loginOrigin)/auth/login?\(query)", .cacheControl: "no-store"])
    }

    /// `GET /auth/callback?code&state`: the state must be one this server issued for this host;
    /// the code is exchanged with the verifier, and the tokens go into a new session.
    func callback(_ request: Request, _ context: KoniRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let host = request.head.authority, let branch = branches.branch(host: host) else {
            return message(.notFound, "Situs tidak dikenal", "Alamat ini bukan situs cabang KONI yang terdaftar.")
        }
        guard let state = query["state"].map(String.init), let code = query["code"].map(String.init),
            let pending = try await sessions.finishLogin(state: state), branch.domains.contains(pending.host)
        else {
            return message(
                .badRequest, "Tautan masuk tidak berlaku", "Tautan ini sudah dipakai, kedaluwarsa atau bukan untuk situs ini.", link: "/admin/masuk",
                linkText: "Masuk lagi")
        }
        let reply = try await auth.call(
            .POST, "/api/v1/auth/exchange",
            json: .object([
                ("code", .string(code)), ("code_verifier", .string(pending.verifier)), ("redirect_uri", .string("https://\(pending.host)/auth/callback")),
            ]))
        guard reply.status == 200, case .string(let access)? = reply.body["access_token"], case .string(let refresh)? = reply.body["refresh_token"],
            case .number(let lifetime)? = reply.body["expires_in"], case .string(let email)? = reply.body["user"]?["email"]
        else {
            context.logger.notice("code exchange failed", metadata: ["status": .stringConvertible(reply.status)])
            return message(.badRequest, "Gagal masuk", "Kode masuk tidak dapat ditukar. Coba masuk lagi.", link: "/admin/masuk", linkText: "Masuk lagi")
        }
        let session = AdminSession(
            email: email, tenantSlug: branch.slug, accessToken: access, refreshToken: refresh,
            accessExpires: Date().timeIntervalSince1970 + lifetime, csrf: SecretToken.random()
        )
        let id = try await sessions.create(session)
        var response = Response(status: .seeOther, headers: [.location: "/admin/", .cacheControl: "no-store"])
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: id, maxAge: Int(settings.sessionLifetime.components.seconds), path: "/", secure: true, httpOnly: true,
                sameSite: .lax
            ))
        return response
    }
}
