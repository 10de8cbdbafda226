import Foundation
import KoniJSON
import KoniRedis
import KoniServiceKit

/// What the admin keeps for a signed-in browser: the tokens (never sent to the browser), who it
/// is, the branch, and the CSRF token of its forms. Stored in Redis under the SHA-256 of the
/// session id; the browser holds only the id, in an HttpOnly cookie of the branch's host.
struct AdminSession: Sendable, Equatable {
    var email: String
    var tenantSlug: String
    var accessToken: String
    var refreshToken: String
    /// When the access token expires (seconds since 1970).
    var accessExpires: Double
    var csrf: String

    var json: JSONValue {
        .object([
            ("email", .string(email)), ("tenant", .string(tenantSlug)), ("access", .string(accessToken)), ("refresh", .string(refreshToken)),
            ("access_expires", .number(accessExpires)), ("csrf", .string(csrf)),
        ])
    }

    init(email: String, tenantSlug: String, accessToken: String, refreshToken: String, accessExpires: Double, csrf: String) {
        self.email = email
        self.tenantSlug = tenantSlug
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.accessExpires = accessExpires
        self.csrf = csrf
    }

    init?(_ text: String) {
        guard let value = try? JSONValue.parse(text), let fields = try? JSONFields(value),
            let email = (try? fields.string("email")).flatMap({ $0 }), let tenant = (try? fields.string("tenant")).flatMap({ $0 }),
            let access = (try? fields.string("access")).flatMap({ $0 }), let refresh = (try? fields.string("refresh")).flatMap({ $0 }),
            let csrf = (try? fields.string("csrf")).flatMap({ $0 }), case .number(let expires)? = fields.value("access_expires")
        else { return nil }
        self.init(email: email, tenantSlug: tenant, accessToken: access, refreshToken: refresh, accessExpires: expires, csrf: csrf)
    }
}

/// Sessions and pending logins in Redis.
struct AdminSessionStore: Sendable {
    let redis: RedisClient
    let prefix: String
    let lifetime: Duration

    func key(_ kind: String, _ secret: String) -> String { "\(prefix)\(kind):" + SecretToken.digest(secret) }

    func create(_ session: AdminSession) async throws(RedisError) -> String {
        let id = SecretToken.random()
        try await redis.set(key("session", id), to: session.json.jsonText, expiresIn: lifetime)
        return id
    }

    func session(_ id: String) async throws(RedisError) -> AdminSession? {
        guard id.utf8.count <= 128, let text = try await redis.get(key("session", id)) else { return nil }
        return AdminSession(text)
    }

    func replace(_ id: String, with session: AdminSession) async throws(RedisError) {
        try await redis.set(key("session", id), to: session.json.jsonText, expiresIn: lifetime)
    }

    func end(_ id: String) async throws(RedisError) {
        guard id.utf8.count <= 128 else { return }
        try await redis.delete([key("session", id)])
    }

    /// A login on its way: the PKCE verifier and the host it started on, under its `state`, 10 minutes, taken once.
    func startLogin(verifier: String, host: String) async throws(RedisError) -> String {
        let state = SecretToken.random()
        try await redis.set(key("pending", state), to: "\(host) \(verifier)", expiresIn: .seconds(600))
        return state
    }

    func finishLogin(state: String) async throws(RedisError) -> (host: String, verifier: String)? {
        guard state.utf8.count <= 128, let text = try await redis.getDelete(key("pending", state)) else { return nil }
        let parts = text.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
