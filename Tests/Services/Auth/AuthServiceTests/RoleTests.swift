import AuthService
import ComproModel
import Foundation
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import KoniTestSupport
import Testing

/// Roles per branch, the permission matrix in tokens, and who may grant what.
@Suite struct RoleTests {
    /// A token of `email` for `branch` through the SSO flow.
    static func branchToken(_ client: some TestClientProtocol, _ email: String, branch: String) async throws -> String {
        let pkce = PKCE()
        let redirect = "https://\(branch).koni.id/auth/callback"
        let posted = try await SSOTests.logIn(client, email: email, redirect: redirect, pkce: pkce)
        let code = try #require(SSOTests.code(from: posted.headers[.location]))
        return try #require(try await SSOTests.exchange(client, code: code, verifier: pkce.verifier, redirect: redirect).json["access_token"]?.string)
    }

    @Test func anAdminCabangTokenCarriesItsBranchOnlyThere() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let email = freshEmail("cabang")
            _ = try await client.register(email)
            try await app.grant("admin-cabang", to: email, tenant: "jatim")
            let jatim = claims(of: try await Self.branchToken(client, email, branch: "jatim"))
            #expect(jatim["roles"]?.strings.sorted() == ["admin-cabang", "user"])
            #expect(jatim["permissions"]?.strings.contains("cms:write:own") == true)
            #expect(jatim["permissions"]?.strings.contains("cms:write") == false)
            let jabar = claims(of: try await Self.branchToken(client, email, branch: "jabar"))
            #expect(jabar["roles"]?.strings == ["user"])
            #expect(jabar["permissions"]?.strings.contains { $0.hasPrefix("cms:") } == false)

            // As a service reads it: allowed on its own branch, refused on another.
            let identity = Identity(
                subject: "x", email: email, roles: jatim["roles"]?.strings ?? [], tenantID: BranchID.derived(slug: "jatim"),
                permissions: jatim["permissions"]?.strings ?? []
            )
            #expect(identity.allows(.cmsWrite, tenant: BranchID.derived(slug: "jatim")))
            #expect(!identity.allows(.cmsWrite, tenant: BranchID.derived(slug: "jabar")))
            #expect(!identity.allows(.tenantsManage, tenant: BranchID.derived(slug: "jatim")))
        }
    }

    @Test func grantsFollowTheMatrixAndEscalationIsRefused() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let cabang = freshEmail("cabang"), admin = freshEmail("admin"), superadmin = freshEmail("super"), plain = freshEmail("user")
            var ids: [String: String] = [:]
            for email in [cabang, admin, superadmin, plain] { ids[email] = try await client.register(email).json["id"]?.string }
            try await app.grant("admin-cabang", to: cabang, tenant: "jatim")
            try await app.grant("admin", to: admin)
            try await app.grant("superadmin", to: superadmin)
            let cabangToken = try await Self.branchToken(client, cabang, branch: "jatim")
            let adminToken = try #require(try await client.login(admin).json["access_token"]?.string)
            let superToken = try #require(try await client.login(superadmin).json["access_token"]?.string)
            let userToken = try #require(try await client.login(plain).json["access_token"]?.string)

            func grant(_ token: String, _ email: String, _ role: String, tenant: String? = nil) async throws -> Int {
                var body: [(key: String, value: JSONValue)] = [("role", .string(role))]
                if let tenant { body.append(("tenant", .string(tenant))) }
                return try await client.call(.post, "/api/v1/auth/users/\(ids[email] ?? "")/roles", json: .object(body), token: token).status.code
            }
            // Allowed by the matrix.
            #expect(try await grant(cabangToken, plain, "official-team", tenant: "jatim") == 200)
            #expect(try await grant(adminToken, plain, "game-admin") == 200)
            #expect(try await grant(superToken, plain, "admin") == 200)
            // Escalation attempts.
            #expect(try await grant(cabangToken, plain, "admin") == 403, "admin-cabang makes an admin")
            #expect(try await grant(cabangToken, plain, "admin-cabang", tenant: "jatim") == 403, "admin-cabang makes its peer")
            #expect(try await grant(cabangToken, plain, "player", tenant: "jabar") == 403, "admin-cabang grants in another branch")
            #expect(try await grant(adminToken, plain, "superadmin") == 403, "admin makes a superadmin")
            #expect(try await grant(userToken, cabang, "player", tenant: "jatim") == 403, "a user grants")
            #expect(try await grant(adminToken, superadmin, "game-admin") == 403, "admin changes a superadmin")
            #expect(try await grant(adminToken, admin, "game-admin") == 403, "admin changes itself")
            #expect(try await grant(adminToken, plain, "root") == 422)
            #expect(try await grant(adminToken, plain, "player") == 422, "a per-branch role without a branch")
            #expect(try await grant(adminToken, plain, "admin", tenant: "jatim") == 422, "a global role with a branch")

            let revoke = try await client.call(
                .delete, "/api/v1/auth/users/\(ids[plain] ?? "")/roles", json: .object([("role", .string("game-admin"))]), token: adminToken)
            #expect(revoke.status == .ok)
            #expect(revoke.json["grants"]?.array?.contains { $0["role"]?.string == "game-admin" } == false)

            await eventually { app.publisher.recorded.filter { $0.type == "user.role_changed" }.count >= 4 }
            let changes = app.publisher.recorded.filter { $0.type == "user.role_changed" }
            #expect(changes.count == 4, "three grants and one removal, each one event")
            await eventually { app.publisher.recorded.filter { $0.type == "user.registered" }.count >= 4 }
            let registered = app.publisher.recorded.filter { $0.type == "user.registered" }
            #expect(registered.count == 4)
        }
    }

    @Test func theOperatorsGrantCommandGrantsOnceAndAnnouncesIt() async throws {
        let app = try await AuthTestApp()
        try await app.application().test(.router) { client in
            let email = freshEmail("pertama")
            _ = try await client.register(email)
            let binary = Repository.binary("auth-service")
            let arguments = ["users", "grant", "--email", email, "--role", "superadmin", "--database-url", app.databaseURL]
            let first = try ProcessRunner.run(binary, arguments, environment: [:])
            #expect(first.status == 0, "\(first.errors)")
            #expect(first.output.contains("granted superadmin"))
            let again = try ProcessRunner.run(binary, arguments, environment: [:])
            #expect(again.output.contains("already holds superadmin"))
            let wrong = try ProcessRunner.run(
                binary, ["users", "grant", "--email", email, "--role", "player", "--database-url", app.databaseURL], environment: [:])
            #expect(wrong.status != 0 && wrong.errors.contains("--tenant"), "\(wrong.errors)")
            #expect(try await app.count("SELECT count(*)::int FROM outbox WHERE type = 'user.role_changed'") == 1)
            let token = try #require(try await client.login(email).json["access_token"]?.string)
            #expect(claims(of: token)["roles"]?.strings.contains("superadmin") == true)
        }
    }

    @Test func branchIDsAreRFC9562Version5OfTheSlug() {
        // The value Python's uuid.uuid5 (an independent implementation) gives for the namespace and "jatim".
        #expect(BranchID.derived(slug: "jatim").uuidString.lowercased() == "96c931b1-2a24-5106-91a5-e364559a37d4")
        #expect(BranchID.derived(slug: "jabar") != BranchID.derived(slug: "jatim"))
    }

    @Test func everyRoleGetsThePermissionsOfTheMatrix() {
        let jatim = BranchID.derived(slug: "jatim")
        for role in RoleMatrix.roles {
            let grants = [(role: role.name, tenantID: role.perBranch ? Optional(jatim) : nil)]
            let claims = PermissionTable.matrix.claims(for: grants, tenant: jatim)
            let identity = Identity(subject: "s", email: "e", roles: claims.roles, tenantID: jatim, permissions: claims.permissions)
            let expectsCMS = ["superadmin", "admin", "admin-cabang"].contains(role.name)
            #expect(identity.allows(.cmsWrite, tenant: jatim) == expectsCMS, "\(role.name)")
            #expect(identity.allows(.cmsWrite, tenant: BranchID.derived(slug: "jabar")) == ["superadmin", "admin"].contains(role.name), "\(role.name)")
            #expect(identity.allows(.tenantsManage, tenant: nil) == ["superadmin", "admin"].contains(role.name), "\(role.name)")
            #expect(identity.allows(.gmsWrite, tenant: nil) == ["superadmin", "admin", "game-admin"].contains(role.name), "\(role.name)")
            #expect(identity.allows(.marketplaceSell, tenant: nil) == false, "\(role.name): selling is :self only")
            #expect(identity.allowsOnSelf(.marketplaceSell, owner: "s") == (role.name == "merchant"), "\(role.name)")
        }
    }
}
