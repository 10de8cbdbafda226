import Foundation

/// What each role may do: the Auth service reads it from its `role_permissions` table (seeded
/// from ``RoleMatrix``) and turns a user's roles into a token's claims.
public struct PermissionTable: Sendable {
    let entries: [String: [(Permission, Permission.Scope)]]

    public init(entries: [String: [(Permission, Permission.Scope)]]) {
        self.entries = entries
    }

    /// The matrix as ``RoleMatrix`` writes it.
    public static let matrix = PermissionTable(entries: Dictionary(uniqueKeysWithValues: RoleMatrix.roles.map { ($0.name, $0.permissions) }))

    /// The roles and permission claims of a token for `tenant` (nil: the super app), from grants
    /// of a role either globally (`tenantID` nil) or for one branch. Global roles count always,
    /// branch roles only for their branch, so that an `admin-cabang` of one branch signs into
    /// another as a plain user; an `:own` permission is claimed only through a branch grant.
    public func claims(for grants: [(role: String, tenantID: UUID?)], tenant: UUID?) -> (roles: [String], permissions: [String]) {
        var roles: [String] = []
        var permissions = Set<String>()
        for grant in grants where grant.tenantID == nil || grant.tenantID == tenant {
            if !roles.contains(grant.role) { roles.append(grant.role) }
            for (permission, scope) in entries[grant.role] ?? [] where scope != .own || grant.tenantID != nil {
                permissions.insert(permission.claim(scope))
            }
        }
        return (roles, permissions.sorted())
    }
}
