import Foundation

/// One thing a caller may do, named `<area>:<action>` (`cms:write`). A permission in a token is
/// held in one of three scopes, written as a suffix: none (every branch), `:own` (only the
/// branch in the token's `tenant_id`), `:self` (only the caller's own records). Services ask
/// ``Identity/allows(_:tenant:)`` instead of comparing role names, so that the matrix in
/// ``RoleMatrix`` is the one place that says who may do what.
public struct Permission: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Where a held permission applies.
    public enum Scope: String, Sendable, CaseIterable {
        case all, own, `self`
        var suffix: String {
            switch self {
            case .all: ""
            case .own: ":own"
            case .self: ":self"
            }
        }
    }

    /// The claim text of this permission held in `scope` (`cms:write:own`).
    public func claim(_ scope: Scope) -> String { rawValue + scope.suffix }

    // Users and roles (the Auth service).
    public static let usersManage = Permission(rawValue: "users:manage")
    public static let rolesGrant = Permission(rawValue: "roles:grant")
    // Branches (the Tenant service).
    public static let tenantsRead = Permission(rawValue: "tenants:read")
    public static let tenantsManage = Permission(rawValue: "tenants:manage")
    // Site content (the CMS).
    public static let cmsWrite = Permission(rawValue: "cms:write")
    // Athletes (the Athlete service).
    public static let athletesRead = Permission(rawValue: "athletes:read")
    public static let athletesWrite = Permission(rawValue: "athletes:write")
    public static let athletesTeam = Permission(rawValue: "athletes:team")
    public static let athletesProfile = Permission(rawValue: "athletes:profile")
    public static let athletesWard = Permission(rawValue: "athletes:ward")
    // Tournaments and matches (GMS).
    public static let gmsRead = Permission(rawValue: "gms:read")
    public static let gmsWrite = Permission(rawValue: "gms:write")
    // Marketplace.
    public static let marketplaceManage = Permission(rawValue: "marketplace:manage")
    public static let marketplaceModerate = Permission(rawValue: "marketplace:moderate")
    public static let marketplaceSell = Permission(rawValue: "marketplace:sell")
    public static let marketplaceBuy = Permission(rawValue: "marketplace:buy")
    public static let marketplaceReview = Permission(rawValue: "marketplace:review")
    // Booking.
    public static let bookingManage = Permission(rawValue: "booking:manage")
    public static let bookingDeals = Permission(rawValue: "booking:deals")
    public static let bookingBook = Permission(rawValue: "booking:book")
    // Media.
    public static let mediaManage = Permission(rawValue: "media:manage")
    public static let mediaUpload = Permission(rawValue: "media:upload")
    public static let mediaWard = Permission(rawValue: "media:ward")
    // Payments (the Payment service): reading a branch's charges, refunding them.
    public static let paymentsRead = Permission(rawValue: "payments:read")
    public static let paymentsRefund = Permission(rawValue: "payments:refund")
}

extension Identity {
    /// Whether this caller may do `permission` on `tenant` (nil: an action that belongs to no
    /// branch). A permission held for every branch allows it anywhere; one held `:own` only when
    /// `tenant` is the token's branch. `:self` permissions are checked by the service against
    /// the record's owner (``allowsOnSelf(_:owner:)``).
    public func allows(_ permission: Permission, tenant: UUID?) -> Bool {
        if permissions.contains(permission.claim(.all)) { return true }
        if let tenant, let own = tenantID, own == tenant, permissions.contains(permission.claim(.own)) { return true }
        return false
    }

    /// Whether this caller may do `permission` on a record that belongs to user `owner`.
    public func allowsOnSelf(_ permission: Permission, owner: String) -> Bool {
        permissions.contains(permission.claim(.all)) || (owner == subject && permissions.contains(permission.claim(.self)))
    }
}
