import ArgumentParser
import Foundation
import KoniBranches
import KoniServiceKit
import Logging
import PostgresNIO

extension AuthServiceCommand {
    /// The operator's account commands: how the first superadmin comes to exist (nobody can grant
    /// it through the API before one does).
    package struct Users: AsyncParsableCommand {
        package static let configuration = CommandConfiguration(
            abstract: "Operator commands on accounts (run against auth_db directly).",
            subcommands: [Grant.self]
        )
        package init() {}

        package struct Grant: AsyncParsableCommand {
            package static let configuration = CommandConfiguration(
                abstract: "Grant a role to an existing account (e.g. the first superadmin).",
                discussion: "The account registers itself first (POST /api/v1/auth/register or the app). Roles per branch take --tenant."
            )
            @Option(help: .setting("postgres://…/auth_db.", variable: "KONI_AUTH_DATABASE_URL", valueName: "url")) var databaseURL: String?
            @Option(help: "The account's e-mail.") var email: String
            @Option(help: "One of the nine roles.") var role: String
            @Option(help: "The branch slug, for a per-branch role.") var tenant: String?
            @Option(help: .setting("Tenant folders.", variable: "KONI_AUTH_TENANTS", default: "tenants", valueName: "dir")) var tenants: String?
            package init() {}

            package func run() async throws {
                let settings = ServiceConfiguration(
                    prefix: AuthConfiguration.environmentPrefix, flags: ["database-url": databaseURL, "tenants": tenants].compactMapValues { $0 }
                )
                guard let role = RoleMatrix.role(role) else {
                    throw ValidationError("unknown role '\(self.role)'; one of \(RoleMatrix.roles.map(\.name).joined(separator: ", "))")
                }
                var grant = RoleGrant(role: role.name, tenantID: nil, tenantSlug: nil)
                if role.perBranch {
                    guard let tenant else { throw ValidationError("role '\(role.name)' is granted for one branch: pass --tenant SLUG") }
                    let registry = try BranchRegistry.load(tenantsDirectory: settings.string("tenants", default: "tenants"))
                    guard let branch = registry.branch(slug: tenant) else { throw ValidationError("no branch '\(tenant)' in the tenant folders") }
                    grant.tenantID = branch.id
                    grant.tenantSlug = branch.slug
                } else if tenant != nil {
                    throw ValidationError("role '\(role.name)' is global; drop --tenant")
                }
                guard let key = AuthAPI.emailKey(email) else { throw ValidationError("'\(email)' is not an e-mail address") }
                let logger = Logger(label: "auth-service")
                let database = try Database(url: try settings.requiredString("database-url"), logger: logger, maximumConnections: 1)
                let users = UserStore(logger: logger)
                let outcome = try await withThrowingTaskGroup(of: String?.self) { group in
                    group.addTask {
                        await database.client.run(); return nil
                    }
                    let result = try await database.transaction { connection -> String in
                        guard let (user, _) = try await users.credentials(emailKey: key, on: connection) else {
                            throw ValidationError("no account '\(email)'; it registers first")
                        }
                        let added = try await users.grant(grant, to: user.id, by: nil, on: connection)
                        guard added else { return "\(user.email) already holds \(role.name)" }
                        // The same event as a grant through the API; the relay sends it when the service runs.
                        let roles = try await users.roles(userID: user.id, on: connection).filter { $0.tenantID == nil || $0.tenantID == grant.tenantID }
                        try await Outbox.add(
                            OutboxEvent(
                                type: .userRoleChanged, tenantID: grant.tenantID, tenantSlug: grant.tenantSlug,
                                data: .object([
                                    ("user_id", .string(user.id.uuidString.lowercased())), ("roles", .array(roles.map { .string($0.role) })),
                                    ("tenant_id", grant.tenantID.map { .string($0.uuidString.lowercased()) } ?? .null),
                                ]), traceID: "operator"),
                            on: connection, logger: logger
                        )
                        return "granted \(role.name)\(grant.tenantSlug.map { " for \($0)" } ?? "") to \(user.email)"
                    }
                    group.cancelAll()
                    return result
                }
                print(outcome)
            }
        }
    }
}
