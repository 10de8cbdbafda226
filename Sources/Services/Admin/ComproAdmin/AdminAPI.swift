import ComproModel
import Foundation
import HTTPTypes
import Hummingbird
import KoniBranches
import KoniJSON
import KoniServiceKit
import Logging
import NIOCore

/// The branch admin at `https://<branch>/admin/`: a backend-for-frontend. The browser holds only
/// a session cookie of the branch's host; the tokens stay in Redis, and every change goes to the
/// CMS with the user's own token, so the CMS's permission check is the one that counts.
struct AdminAPI: Sendable {
    let sessions: AdminSessionStore
    let branches: BranchRegistry
    let auth: UpstreamClient
    let cms: UpstreamClient
    /// The revalidation daemon, when configured: asked when a saved change is live.
    let daemon: UpstreamClient?
    let verifier: JWTVerifier
    let settings: AdminConfiguration

    static let sessionCookie = "__Host-koni-admin"

    /// A signed-in request: the branch, the session (tokens fresh) and who it is.
    struct SignedIn: Sendable {
        var branch: BranchRegistry.Branch
        var sessionID: String
        var session: AdminSession
        var identity: Identity
    }

    func register(on router: Router<KoniRequestContext>) {
        router.get("/admin/assets/admin.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: AdminPages.stylesheet)))
        }
        registerLogin(on: router)
        registerContent(on: router)
        registerSettings(on: router)
        registerTheme(on: router)
        registerSections(on: router)
        for (name, script) in [("theme-editor.js", AdminPages.themeScript), ("admin.js", AdminPages.editorScript)] {
            router.get("/admin/assets/\(name)") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache", .xContentTypeOptions: "nosniff"],
                    body: .init(byteBuffer: ByteBuffer(string: script)))
            }
        }
        registerMarkdownPreview(on: router)
        registerDashboard(on: router)
    }

    // MARK: Shared steps

    /// Runs `body` for a signed-in admin of the request's branch; anything else becomes a page:
    /// no branch for the host (404), not signed in (to the login), no right to this branch (403).
    func page(_ request: Request, _ body: (SignedIn) async throws -> Response) async throws -> Response {
        guard let host = request.head.authority, let branch = branches.branch(host: host) else {
            return message(.notFound, "Situs tidak dikenal", "Alamat ini bukan situs cabang KONI yang terdaftar.")
        }
        guard let id = request.cookies[Self.sessionCookie]?.value, var session = try await sessions.session(id), session.tenantSlug == branch.slug else {
            return Response(status: .seeOther, headers: [.location: "/admin/masuk", .cacheControl: "no-store"])
        }
        if session.accessExpires - Date().timeIntervalSince1970 < 60 {
            guard let refreshed = try await refresh(session) else {
                try await sessions.end(id)
                return Response(status: .seeOther, headers: [.location: "/admin/masuk", .cacheControl: "no-store"])
            }
            session = refreshed
            try await sessions.replace(id, with: session)
        }
        guard case .success(let identity) = await verifier.verify(session.accessToken) else {
            try await sessions.end(id)
            return Response(status: .seeOther, headers: [.location: "/admin/masuk", .cacheControl: "no-store"])
        }
        guard identity.allows(.cmsWrite, tenant: branch.id) else {
            return message(.forbidden, "Tidak ada akses", "Akun \(session.email) tidak memiliki hak admin untuk \(branch.name).")
        }
        return try await body(SignedIn(branch: branch, sessionID: id, session: session, identity: identity))
    }

    /// A form post of a signed-in admin: same-origin only, with the session's CSRF token.
    func formPost(_ request: Request, _ body: (SignedIn, [String: String]) async throws -> Response) async throws -> Response {
        if let site = request.headers[.secFetchSite], site != "same-origin", site != "none" {
            return message(.forbidden, "Permintaan ditolak", "Formulir admin hanya dapat dikirim dari halaman admin.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: settings.maximumFormBytes)
        } catch {
            return message(.contentTooLarge, "Isian terlalu besar", "Formulir lebih besar dari \(settings.maximumFormBytes / 1024) KiB tidak diterima.")
        }
        let fields = Self.formFields(String(buffer: buffer))
        return try await page(request) { signedIn in
            if let origin = request.headers[.origin], !signedIn.branch.domains.contains(where: { origin == "https://\($0)" }) {
                return message(.forbidden, "Permintaan ditolak", "Formulir admin hanya dapat dikirim dari halaman admin.")
            }
            guard let sent = fields["csrf"], ComproModel.Digest.constantTimeEqual(Array(sent.utf8), Array(signedIn.session.csrf.utf8)) else {
                return message(.forbidden, "Sesi formulir kedaluwarsa", "Muat ulang halaman lalu coba lagi.", link: "/admin/", linkText: "Kembali ke dasbor")
            }
            return try await body(signedIn, fields)
        }
    }

    /// `application/x-www-form-urlencoded` fields; the last value of a repeated name wins.
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&").prefix(200) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// New tokens for a session whose access token is about to expire; nil when the refresh token is spent or revoked.
    func refresh(_ session: AdminSession) async throws -> AdminSession? {
        let reply = try await auth.call(.POST, "/api/v1/auth/refresh", json: .object([("refresh_token", .string(session.refreshToken))]))
        guard reply.status == 200, case .string(let access)? = reply.body["access_token"], case .string(let refresh)? = reply.body["refresh_token"],
            case .number(let lifetime)? = reply.body["expires_in"]
        else { return nil }
        var fresh = session
        fresh.accessToken = access
        fresh.refreshToken = refresh
        fresh.accessExpires = Date().timeIntervalSince1970 + lifetime
        return fresh
    }

    static let pageHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .xContentTypeOptions: "nosniff",
        // Scripts, fetches and frames of the admin's own origin only: the theme editor's live
        // preview and the Markdown preview; no inline script anywhere.
        .contentSecurityPolicy:
            "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .referrerPolicy: "same-origin",
    ]

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: Self.pageHeaders, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func message(_ status: HTTPResponse.Status, _ heading: String, _ text: String, link: String? = nil, linkText: String? = nil) -> Response {
        html(AdminPages.message(heading: heading, message: text, link: link, linkText: linkText), status: status)
    }
}
