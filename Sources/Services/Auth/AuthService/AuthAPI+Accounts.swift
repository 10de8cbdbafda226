import Foundation
import Hummingbird
import KoniJSON
import KoniPassword
import KoniServiceKit

extension AuthAPI {
    func registerAccounts(on router: Router<KoniRequestContext>) {
        router.post("\(Self.base)/register") { request, context in try await registerUser(request, context) }
        router.post("\(Self.base)/login") { request, context in try await login(request, context) }
        router.post("\(Self.base)/refresh") { request, context in try await refresh(request, context) }
        router.post("\(Self.base)/logout") { request, context in try await logout(request, context) }
        router.post("\(Self.base)/exchange") { request, context in try await exchange(request, context) }
    }

    func registerAuthenticated(on group: RouterGroup<KoniRequestContext>) {
        group.get("me") { _, context in try await me(context) }
        group.post("password") { request, context in try await changePassword(request, context) }
    }

    func body(_ request: Request, known: [String]) async throws -> JSONFields {
        let value = try await request.jsonBody(limit: settings.maximumBodyBytes)
        guard case .object = value else { throw APIError.badRequest("malformed_json", "expected a JSON object") }
        return try APIError.validating { () throws(FieldError) in
            let fields = try JSONFields(value)
            try fields.checkKeys(known)
            return fields
        }
    }

    /// `POST /register` {email, name, password}: 201 with the account (which holds the role `user`).
    func registerUser(_ request: Request, _ context: KoniRequestContext) async throws -> Response {
        let fields = try await body(request, known: ["email", "name", "password"])
        let (email, key, name, password) = try APIError.validating { () throws(FieldError) in
            let email = try fields.requiredString("email")
            guard let key = Self.emailKey(email) else { throw fields.error("email", "bukan alamat email yang sah") }
            let name = try fields.requiredString("name").trimmingCharacters(in: .whitespaces)
            guard (1...120).contains(name.count), name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
                throw fields.error("name", "nama harus 1 sampai 120 karakter tanpa karakter kendali")
            }
            let password = try fields.requiredString("password")
            if let reason = PasswordPolicy.check(password) { throw fields.error("password", reason) }
            return (email.trimmingCharacters(in: .whitespaces), key, name, password)
        }
        // The same per-address limit as logins: registration also runs a password hash.
        if let refusal = try await throttle.admit(emailKey: "register:" + key, address: clientAddress(request, context)) {
            throw Self.tooManyAttempts(refusal)
        }
        let hash = try await hasher.hash(password)
        let created = try await write { connection -> UserRecord? in
            guard let user = try await users.create(email: email, emailKey: key, name: name, passwordHash: hash, on: connection) else { return nil }
            try await Outbox.add(
                OutboxEvent(
                    type: .userRegistered, tenantID: nil, tenantSlug: nil,
                    data: .object([
                        ("user_id", .string(user.id.uuidString.lowercased())), ("email", .string(user.email)),
                    ]), traceID: context.traceID),
                on: connection, logger: database.logger
            )
            return user
        }
        guard let created else {
            throw APIError(.conflict, code: "email_taken", message: "email ini sudah terdaftar", field: "email")
        }
        return Response.json(Self.userJSON(created), status: .created)
    }

    /// `POST /login` {email, password}: a token for the super app; the refresh token in a cookie.
    func login(_ request: Request, _ context: KoniRequestContext) async throws -> Response {
        let fields = try await body(request, known: ["email", "password"])
        let (email, password) = try APIError.validating { () throws(FieldError) in (try fields.requiredString("email"), try fields.requiredString("password")) }
        let user: UserRecord
        do { user = try await authenticate(email: email, password: password, address: clientAddress(request, context)) } catch { throw Self.apiError(error) }
        let (access, refresh) = try await write { connection in
            let grant = try await grant(for: user, tenant: nil, on: connection)
            let refresh = try await refreshTokens.issue(.init(userID: user.id, familyID: UUID(), tenantID: nil, tenantSlug: nil), on: connection)
            return (try await issuer.sign(grant), refresh)
        }
        var response = Response.json(tokenBody(access: access, refresh: nil))
        response.setCookie(refreshCookie(refresh))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The refresh token of a request: the body's `refresh_token` (a branch's server), else the cookie.
    func presentedRefreshToken(_ request: Request, _ fields: JSONFields?) throws(APIError) -> (String, fromCookie: Bool)? {
        if let fields, let token = try APIError.validating({ () throws(FieldError) in try fields.string("refresh_token") }) { return (token, false) }
        if let cookie = request.cookies[Self.refreshCookie]?.value, !cookie.isEmpty { return (cookie, true) }
        return nil
    }

    func optionalBody(_ request: Request, known: [String]) async throws -> JSONFields? {
        guard request.headers[.contentLength].map({ $0 != "0" }) ?? (request.headers[.contentType] != nil) else { return nil }
        return try await body(request, known: known)
    }

    /// `POST /refresh`: a new access token and a new refresh token; the old one is spent.
    func refresh(_ request: Request, _ context: KoniRequestContext) async throws -> Response {
        let fields = try await optionalBody(request, known: ["refresh_token"])
        guard let (token, fromCookie) = try presentedRefreshToken(request, fields) else {
            throw APIError(.unauthorized, code: "invalid_grant", message: "no refresh token was sent")
        }
        let outcome = try await write { connection -> (RefreshTokenStore.Rotation, String?) in
            let rotation = try await refreshTokens.rotate(token, on: connection)
            guard case .rotated(let holder, _) = rotation, let user = try await users.user(id: holder.userID, on: connection) else { return (rotation, nil) }
            return (rotation, try await issuer.sign(try await grant(for: user, tenant: holder.tenantID, on: connection)))
        }
        switch outcome {
        case (.rotated(_, let next), let access?):
            var response = Response.json(tokenBody(access: access, refresh: fromCookie ? nil : next))
            if fromCookie { response.setCookie(refreshCookie(next)) }
            response.headers[.cacheControl] = "no-store"
            return response
        case (.reused(let family), _):
            context.logger.warning("refresh token reused; its family is revoked", metadata: ["family": .string(family.uuidString)])
            throw APIError(.unauthorized, code: "invalid_grant", message: "this refresh token was already used; the session is revoked")
        default:
            throw APIError(.unauthorized, code: "invalid_grant", message: "the refresh token is not valid")
        }
    }

    /// `POST /logout`: revokes the refresh token's family and ends the SSO session.
    func logout(_ request: Request, _ context: KoniRequestContext) async throws -> Response {
        let fields = try await optionalBody(request, known: ["refresh_token"])
        if let (token, _) = try presentedRefreshToken(request, fields) {
            try await write { connection in
                if let family = try await refreshTokens.family(of: token, on: connection) {
                    try await refreshTokens.revokeFamily(family, reason: "logout", on: connection)
                }
            }
        }
        if let session = request.cookies[Self.sessionCookie]?.value { try await sso.endSession(session) }
        var response = Response(status: .noContent)
        response.setCookie(Self.expired(Self.refreshCookie))
        response.setCookie(Self.expired(Self.sessionCookie, sameSite: .lax))
        return response
    }

    /// `GET /me`: the caller's account, every role it holds, and what the presented token grants.
    func me(_ context: KoniRequestContext) async throws -> Response {
        guard let identity = context.identity, let id = UUID(uuidString: identity.subject) else { throw APIError.unauthorized }
        let found = try await database.client.withConnection { connection -> (UserRecord, [RoleGrant])? in
            guard let user = try await users.user(id: id, on: connection) else { return nil }
            return (user, try await users.roles(userID: id, on: connection))
        }
        guard let (user, grants) = found, user.status == "active" else { throw APIError.unauthorized }
        return Response.json(
            .object([
                ("user", Self.userJSON(user)), ("grants", Self.grantsJSON(grants)),
                (
                    "token",
                    .object([
                        ("roles", .array(identity.roles.map { .string($0) })), ("permissions", .array(identity.permissions.map { .string($0) })),
                        ("tenant_id", identity.tenantID.map { .string($0.uuidString.lowercased()) } ?? .null),
                    ])
                ),
            ]))
    }

    /// `POST /password` {current_password, new_password}: 204; every refresh token of the account is revoked.
    func changePassword(_ request: Request, _ context: KoniRequestContext) async throws -> Response {
        guard let identity = context.identity, let id = UUID(uuidString: identity.subject) else { throw APIError.unauthorized }
        let fields = try await body(request, known: ["current_password", "new_password"])
        let (current, next) = try APIError.validating { () throws(FieldError) in
            let current = try fields.requiredString("current_password")
            let next = try fields.requiredString("new_password")
            if let reason = PasswordPolicy.check(next) { throw fields.error("new_password", reason) }
            return (current, next)
        }
        do {
            _ = try await authenticate(email: identity.email, password: current, address: clientAddress(request, context))
        } catch .invalidCredentials {
            throw APIError(.unprocessableContent, code: "validation_failed", message: "kata sandi saat ini salah", field: "current_password")
        } catch {
            throw Self.apiError(error)
        }
        let hash = try await hasher.hash(next)
        try await write { connection in
            try await users.setPassword(userID: id, hash: hash, on: connection)
            try await refreshTokens.revokeAll(userID: id, reason: "password changed", on: connection)
        }
        return Response(status: .noContent)
    }
}
