import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import PostgresNIO

extension AuthAPI {
    func registerRoles(on group: RouterGroup<KoniRequestContext>) {
        group.post("users/{id}/roles") { request, context in try await changeRole(request, context, granting: true) }
        group.delete("users/{id}/roles") { request, context in try await changeRole(request, context, granting: false) }
    }

    func registerInternal(on group: RouterGroup<KoniRequestContext>) {
        group.get("users/{id}") { _, context in try await internalUser(context) }
    }

    /// `POST /users/{id}/roles` and `DELETE /users/{id}/roles`, body {role, tenant?} (a branch slug
    /// for a per-branch role). Checked in this order: the caller holds `roles:grant` for that branch
    /// (or everywhere); the matrix lets the caller's roles grant this role (``RoleMatrix/canGrant``);
    /// nobody but a superadmin changes a superadmin's roles; nobody changes their own roles.
    func changeRole(_ request: Request, _ context: KoniRequestContext, granting: Bool) async throws -> Response {
        guard let identity = context.identity else { throw APIError.unauthorized }
        guard let target = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("no such user") }
        let fields = try await body(request, known: ["role", "tenant"])
        let (roleName, tenantSlug) = try APIError.validating { () throws(FieldError) in (try fields.requiredString("role"), try fields.string("tenant")) }
        guard let role = RoleMatrix.role(roleName) else {
            throw APIError(.unprocessableContent, code: "validation_failed", message: "unknown role '\(roleName.prefix(40))'", field: "role")
        }
        var grant = RoleGrant(role: role.name, tenantID: nil, tenantSlug: nil)
        if role.perBranch {
            guard let tenantSlug, let branch = branches.current.branch(slug: tenantSlug) else {
                throw APIError(
                    .unprocessableContent, code: "validation_failed", message: "role '\(role.name)' is granted for one branch: name a registered branch",
                    field: "tenant")
            }
            grant.tenantID = branch.id
            grant.tenantSlug = branch.slug
        } else if tenantSlug != nil {
            throw APIError(.unprocessableContent, code: "validation_failed", message: "role '\(role.name)' is global; it takes no tenant", field: "tenant")
        }
        guard identity.allows(.rolesGrant, tenant: grant.tenantID) else {
            throw APIError.forbidden("granting roles\(grant.tenantSlug.map { " in \($0)" } ?? "") needs the permission roles:grant there")
        }
        guard RoleMatrix.canGrant(role.name, granterRoles: identity.roles) else {
            throw APIError.forbidden("your roles may not grant or remove the role '\(role.name)'")
        }
        guard identity.subject != target.uuidString.lowercased() else { throw APIError.forbidden("nobody changes their own roles") }
        let changed = try await write { connection -> [RoleGrant]? in
            guard try await users.lock(userID: target, on: connection) else { return nil }
            let current = try await users.roles(userID: target, on: connection)
            if current.contains(where: { $0.role == RoleMatrix.superadmin }), !identity.roles.contains(RoleMatrix.superadmin) {
                throw APIError.forbidden("only a superadmin changes the roles of a superadmin")
            }
            let didChange =
                granting
                ? try await users.grant(grant, to: target, by: UUID(uuidString: identity.subject), on: connection)
                : try await users.revoke(grant, from: target, on: connection)
            let after = try await users.roles(userID: target, on: connection)
            if didChange {
                try await Outbox.add(
                    OutboxEvent(
                        type: .userRoleChanged, tenantID: grant.tenantID, tenantSlug: grant.tenantSlug,
                        data: .object([
                            ("user_id", .string(target.uuidString.lowercased())),
                            ("roles", .array(after.filter { $0.tenantID == nil || $0.tenantID == grant.tenantID }.map { .string($0.role) })),
                            ("tenant_id", grant.tenantID.map { .string($0.uuidString.lowercased()) } ?? .null),
                        ]), traceID: context.traceID),
                    on: connection, logger: database.logger
                )
                // Tokens already issued keep their claims until they expire (15 minutes); refresh
                // tokens are revoked so that a removed role is not renewed.
                if !granting { try await refreshTokens.revokeAll(userID: target, reason: "role removed", on: connection) }
            }
            return after
        }
        guard let changed else { throw APIError.notFound("no such user") }
        return Response.json(.object([("user_id", .string(target.uuidString.lowercased())), ("grants", Self.grantsJSON(changed))]))
    }

    /// `GET /internal/users/{id}` (service key): what other services may know of an account.
    func internalUser(_ context: KoniRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("no such user") }
        let found = try await database.client.withConnection { connection -> (UserRecord, [RoleGrant])? in
            guard let user = try await users.user(id: id, on: connection) else { return nil }
            return (user, try await users.roles(userID: id, on: connection))
        }
        guard let (user, grants) = found else { throw APIError.notFound("no such user") }
        return Response.json(.object([("user", Self.userJSON(user)), ("grants", Self.grantsJSON(grants))]))
    }
}
