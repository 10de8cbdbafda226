import Foundation
import KoniBranches
import HTTPTypes
import Hummingbird
import KoniJSON
import KoniPassword
import KoniServiceKit
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The Auth service's HTTP API: accounts and tokens under `/api/v1/auth/`, the SSO login pages
/// under `/auth/`, the public keys at `/.well-known/jwks.json`, and `/internal/users/{id}` for
/// other services.
struct AuthAPI: Sendable {
    let database: Database
    let users: UserStore
    let refreshTokens: RefreshTokenStore
    let sso: SSOStore
    let throttle: LoginThrottle
    let hasher: PasswordHasher
    let issuer: TokenIssuer
    /// The tenant folders' branches overlaid by the Tenant service's (``TenantEventsConsumer``).
    let branches: LiveBranchRegistry
    let settings: AuthConfiguration
    let relay: OutboxRelay?
    let permissionCache = PermissionCache()

    static let base = "/api/v1/auth"
    static let refreshCookie = "__Host-koni-refresh"
    static let sessionCookie = "__Host-koni-sso"
    static let csrfCookie = "__Host-koni-csrf"

    func register(on router: Router<KoniRequestContext>, verifier: JWTVerifier, serviceKeys: [String]) throws(ConfigurationError) {
        router.get("/.well-known/jwks.json") { _, _ in
            Response.json(bytes: issuer.jwks, headers: [.cacheControl: "public, max-age=300"])
        }
        registerAccounts(on: router)
        registerSSO(on: router)
        let authenticated = router.group(RouterPath(Self.base)).add(middleware: AuthMiddleware(verifier: verifier))
        registerAuthenticated(on: authenticated)
        registerRoles(on: authenticated)
        registerInternal(on: try router.internalRoutes(keys: serviceKeys))
    }

    // MARK: Shared steps

    /// The permission matrix, read from `role_permissions` once.
    func permissionTable() async throws -> PermissionTable {
        if let table = permissionCache.table.withLock({ $0 }) { return table }
        let table = try await database.client.withConnection { try await users.permissionTable(on: $0) }
        permissionCache.table.withLock { $0 = table }
        return table
    }

    /// The claims of a token for `userID` on `tenant`.
    func grant(for user: UserRecord, tenant: UUID?, on connection: PostgresConnection) async throws -> TokenIssuer.Grant {
        let grants = try await users.roles(userID: user.id, on: connection)
        let (roles, permissions) = try await permissionTable().claims(for: grants.map { ($0.role, $0.tenantID) }, tenant: tenant)
        return TokenIssuer.Grant(userID: user.id, email: user.email, roles: roles, permissions: permissions, tenantID: tenant)
    }

    /// The client's address: the connection's peer, or, when that peer is a trusted proxy (Nginx
    /// on loopback), the `X-Real-IP` it set. Never a header from anyone else: it would let a
    /// client pick its own rate-limit bucket.
    func clientAddress(_ request: Request, _ context: KoniRequestContext) -> String {
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        if settings.trustedProxies.contains(peer), let forwarded = request.headers[.xRealIP], forwarded.utf8.count <= 64,
            forwarded.utf8.allSatisfy({ $0.isASCIIHexDigit || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") })
        {
            return forwarded
        }
        return peer
    }

    /// A refresh-token cookie for the super app's host (`__Host-`: Secure, Path=/, no Domain).
    func refreshCookie(_ token: String) -> Cookie {
        Cookie(
            name: Self.refreshCookie, value: token, maxAge: Int(settings.refreshLifetime.components.seconds), path: "/", secure: true, httpOnly: true,
            sameSite: .strict)
    }

    static func expired(_ name: String, sameSite: Cookie.SameSite = .strict) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true, sameSite: sameSite)
    }

    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let result = try await database.transaction(.readWrite, body)
        relay?.notify()
        return result
    }

    func tokenBody(access: String, refresh: String?, extra: [(key: String, value: JSONValue)] = []) -> JSONValue {
        var body: [(key: String, value: JSONValue)] = [
            ("access_token", .string(access)), ("token_type", .string("Bearer")), ("expires_in", .number(Double(issuer.lifetime.components.seconds))),
        ]
        if let refresh { body.append(("refresh_token", .string(refresh))) }
        return .object(body + extra)
    }

    static func userJSON(_ user: UserRecord) -> JSONValue {
        .object([
            ("id", .string(user.id.uuidString.lowercased())), ("email", .string(user.email)), ("name", .string(user.name)),
            ("status", .string(user.status)), ("created_at", .string(RFC3339.string(user.createdAt))),
        ])
    }

    static func grantsJSON(_ grants: [RoleGrant]) -> JSONValue {
        .array(
            grants.map { grant in
                .object([
                    ("role", .string(grant.role)), ("tenant_id", grant.tenantID.map { .string($0.uuidString.lowercased()) } ?? .null),
                    ("tenant_slug", grant.tenantSlug.map { .string($0) } ?? .null),
                ])
            })
    }

    static func tooManyAttempts(_ refusal: LoginThrottle.Refusal) -> APIError {
        let seconds = max(1, refusal.retryAfter.components.seconds + (refusal.retryAfter.components.attoseconds > 0 ? 1 : 0))
        return APIError(
            .tooManyRequests, code: "too_many_attempts", message: "too many login attempts; try again in \(seconds) s",
            headers: [.retryAfter: String(seconds)]
        )
    }
}

/// The matrix as read from the database, once per process.
final class PermissionCache: Sendable {
    let table = Mutex<PermissionTable?>(nil)
}

extension UInt8 {
    var isASCIIHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
