import ComproModel
import Foundation
import KoniBranches
import HTTPTypes
import Hummingbird
import KoniServiceKit
import NIOCore

/// The authorization request a branch sends the browser with:
/// `/auth/login?redirect_uri=https://<branch>/auth/callback&state=…&code_challenge=…&code_challenge_method=S256`.
struct AuthorizationRequest: Sendable, Equatable {
    var branch: BranchRegistry.Branch
    var redirectURI: String
    var state: String
    var codeChallenge: String
}

/// The login form's fields, named as OAuth 2.0 and PKCE name them on the wire.
// swift-format-ignore: AlwaysUseLowerCamelCase
struct LoginForm: Decodable, Sendable {
    var email: String?
    var password: String?
    var csrf: String?
    var redirect_uri: String?
    var state: String?
    var code_challenge: String?
    var code_challenge_method: String?
}

extension AuthAPI {
    func registerSSO(on router: Router<KoniRequestContext>) {
        router.get("/auth/login") { request, context in try await loginPage(request, context) }
        router.post("/auth/login") { request, context in try await submitLogin(request, context) }
        router.post("/auth/logout") { request, context in try await endSession(request, context) }
        router.get("/auth/assets/auth.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: LoginPage.stylesheet))
            )
        }
    }

    /// Checks an authorization request. nil parameters mean a plain login at the app itself. A
    /// `redirect_uri` that is not exactly a registered branch callback is refused with a page,
    /// never followed: following it would make this an open redirect.
    func authorizationRequest(redirectURI: String?, state: String?, challenge: String?, method: String?) throws(HTMLError) -> AuthorizationRequest? {
        guard let redirectURI, !redirectURI.isEmpty else { return nil }
        guard let branch = branches.current.branch(redirectURI: redirectURI) else {
            throw HTMLError(
                status: .badRequest, heading: "Tautan masuk tidak sah", message: "Alamat tujuan setelah masuk tidak terdaftar untuk cabang KONI mana pun.")
        }
        guard let state, (1...512).contains(state.utf8.count), state.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw HTMLError(status: .badRequest, heading: "Tautan masuk tidak sah", message: "Parameter state tidak ada atau tidak sah.")
        }
        guard method == "S256", let challenge, Self.isValidChallenge(challenge) else {
            throw HTMLError(status: .badRequest, heading: "Tautan masuk tidak sah", message: "Tautan ini tidak memakai PKCE S256 (code_challenge).")
        }
        return AuthorizationRequest(branch: branch, redirectURI: redirectURI, state: state, codeChallenge: challenge)
    }

    /// `GET /auth/login`: the form, or, for a browser that already has a session, straight back
    /// to the branch with a code (single sign-on: no second password prompt).
    func loginPage(_ request: Request, _ context: KoniRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let authorization: AuthorizationRequest?
        do {
            authorization = try authorizationRequest(
                redirectURI: query["redirect_uri"].map(String.init), state: query["state"].map(String.init),
                challenge: query["code_challenge"].map(String.init), method: query["code_challenge_method"].map(String.init)
            )
        } catch { return error.response }
        if let session = request.cookies[Self.sessionCookie]?.value, let userID = try await sso.session(session),
            let user = try await database.client.withConnection({ try await users.user(id: userID, on: $0) }), user.status == "active"
        {
            if let authorization { return try await redirectWithCode(authorization, user: user) }
            return html(LoginPage.message(title: "Sudah masuk", heading: "Anda sudah masuk", message: "Anda masuk sebagai \(user.email)."), status: .ok)
        }
        let csrf = request.cookies[Self.csrfCookie].map(\.value).flatMap { $0.utf8.count == 43 ? $0 : nil } ?? SecretToken.random()
        var response = loginForm(
            LoginPage.Form(
                branchName: authorization?.branch.name, branchDomain: authorization.flatMap { URL(string: $0.redirectURI)?.host },
                redirectURI: authorization?.redirectURI ?? "", state: authorization?.state ?? "", codeChallenge: authorization?.codeChallenge ?? "", csrf: csrf
            ), authorization: authorization, status: .ok)
        response.setCookie(Cookie(name: Self.csrfCookie, value: csrf, path: "/", secure: true, httpOnly: true, sameSite: .strict))
        return response
    }

    /// `POST /auth/login`: checks the CSRF token and the password, opens the SSO session and
    /// sends the browser back to the branch with a one-time code.
    func submitLogin(_ request: Request, _ context: KoniRequestContext) async throws -> Response {
        if let refusal = crossSiteRefusal(request) { return refusal.response }
        let form: LoginForm
        do {
            let buffer = try await request.body.collect(upTo: 16 * 1024)
            form = try URLEncodedFormDecoder().decode(LoginForm.self, from: String(buffer: buffer))
        } catch {
            return HTMLError(status: .badRequest, heading: "Formulir tidak terbaca", message: "Kirim ulang formulir masuk.").response
        }
        let authorization: AuthorizationRequest?
        do {
            authorization = try authorizationRequest(
                redirectURI: form.redirect_uri, state: form.state, challenge: form.code_challenge, method: form.code_challenge_method)
        } catch { return error.response }
        guard let cookie = request.cookies[Self.csrfCookie]?.value, let sent = form.csrf, !cookie.isEmpty,
            ComproModel.Digest.constantTimeEqual(Array(cookie.utf8), Array(sent.utf8))
        else {
            return HTMLError(status: .forbidden, heading: "Sesi formulir kedaluwarsa", message: "Muat ulang halaman masuk lalu coba lagi.").response
        }
        var page = LoginPage.Form(
            branchName: authorization?.branch.name, branchDomain: authorization.flatMap { URL(string: $0.redirectURI)?.host }, email: form.email ?? "",
            redirectURI: authorization?.redirectURI ?? "", state: authorization?.state ?? "", codeChallenge: authorization?.codeChallenge ?? "", csrf: cookie
        )
        let user: UserRecord
        do {
            user = try await authenticate(email: form.email ?? "", password: form.password ?? "", address: clientAddress(request, context))
        } catch {
            switch error {
            case .invalidCredentials:
                page.error = "Email atau kata sandi salah."
                return loginForm(page, authorization: authorization, status: .unauthorized)
            case .throttled(let refusal):
                let minutes = max(1, (refusal.retryAfter.components.seconds + 59) / 60)
                page.error = "Terlalu banyak percobaan masuk. Coba lagi dalam \(minutes) menit."
                var response = loginForm(page, authorization: authorization, status: .tooManyRequests)
                response.headers[.retryAfter] = String(max(1, refusal.retryAfter.components.seconds))
                return response
            case .unavailable:
                page.error = "Layanan masuk sedang tidak tersedia. Coba lagi sebentar lagi."
                return loginForm(page, authorization: authorization, status: .serviceUnavailable)
            }
        }
        let session = try await sso.createSession(userID: user.id)
        var response: Response
        if let authorization {
            response = try await redirectWithCode(authorization, user: user)
        } else {
            response = html(LoginPage.message(title: "Berhasil masuk", heading: "Berhasil masuk", message: "Anda masuk sebagai \(user.email)."), status: .ok)
        }
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: session, maxAge: Int(sso.sessionLifetime.components.seconds), path: "/", secure: true, httpOnly: true,
                sameSite: .lax
            ))
        return response
    }

    /// `POST /auth/logout` (a form with the CSRF token): ends the app's SSO session.
    func endSession(_ request: Request, _ context: KoniRequestContext) async throws -> Response {
        if let refusal = crossSiteRefusal(request) { return refusal.response }
        if let session = request.cookies[Self.sessionCookie]?.value { try await sso.endSession(session) }
        var response = html(
            LoginPage.message(title: "Keluar", heading: "Anda telah keluar", message: "Sesi akun KONI di perangkat ini sudah diakhiri."), status: .ok)
        response.setCookie(Self.expired(Self.sessionCookie, sameSite: .lax))
        return response
    }

    /// A form post from another site (by `Sec-Fetch-Site` or `Origin`) is refused before anything else.
    func crossSiteRefusal(_ request: Request) -> HTMLError? {
        let refusal = HTMLError(status: .forbidden, heading: "Permintaan ditolak", message: "Formulir ini hanya dapat dikirim dari halaman masuk akun KONI.")
        if let site = request.headers[.secFetchSite], site != "same-origin", site != "none" { return refusal }
        if let origin = request.headers[.origin], origin != settings.publicOrigin { return refusal }
        return nil
    }

    func redirectWithCode(_ authorization: AuthorizationRequest, user: UserRecord) async throws -> Response {
        let code = try await sso.issueCode(
            .init(
                userID: user.id, tenantID: authorization.branch.id, tenantSlug: authorization.branch.slug, redirectURI: authorization.redirectURI,
                codeChallenge: authorization.codeChallenge
            ))
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let state = authorization.state.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return Response(
            status: .seeOther,
            headers: [.location: "\(authorization.redirectURI)?code=\(code)&state=\(state)", .cacheControl: "no-store", .referrerPolicy: "no-referrer"]
        )
    }

    func loginForm(_ form: LoginPage.Form, authorization: AuthorizationRequest?, status: HTTPResponse.Status) -> Response {
        var response = html(LoginPage.render(form), status: status)
        // The form's redirect to the branch is a navigation the CSP's form-action must allow.
        let target = authorization.flatMap { URL(string: $0.redirectURI) }.map { " https://\($0.host ?? "")" } ?? ""
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'self'; form-action 'self'\(target); frame-ancestors 'none'; base-uri 'none'"
        return response
    }

    func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: HTMLError.headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// A refusal shown as a page (never a redirect).
struct HTMLError: Error, Sendable {
    var status: HTTPResponse.Status
    var heading: String
    var message: String

    /// `Referrer-Policy: same-origin`, not `no-referrer`: with `no-referrer` a browser sends
    /// `Origin: null` on the form's own post, and the post's `Origin` check would refuse it.
    static let headers: HTTPFields = [
        .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .xContentTypeOptions: "nosniff", .referrerPolicy: "same-origin",
        .contentSecurityPolicy: "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ]

    var response: Response {
        Response(
            status: status, headers: Self.headers,
            body: .init(byteBuffer: ByteBuffer(string: LoginPage.message(title: heading, heading: heading, message: message, alert: true))))
    }
}
