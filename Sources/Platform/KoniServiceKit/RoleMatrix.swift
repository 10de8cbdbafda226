/// The nine roles of the seed and what each may do: `docs/permissions.md` in table form, and the
/// source the Auth service seeds its `roles`, `permissions` and `role_permissions` tables from,
/// so that the tokens it signs and the checks every service makes cannot drift apart.
public enum RoleMatrix {
    /// A role of the seed.
    public struct Role: Sendable, Hashable {
        public var name: String
        public var description: String
        /// Whether the role is granted for one branch (`admin-cabang`, `official-team`, …) or
        /// for the whole platform (`superadmin`, `admin`, `game-admin`, `user`).
        public var perBranch: Bool
        /// Higher ranks may grant lower ones (``canGrant(_:to:)``).
        public var rank: Int
        public var permissions: [(Permission, Permission.Scope)]

        public static func == (lhs: Role, rhs: Role) -> Bool { lhs.name == rhs.name }
        public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    }

    public static let superadmin = "superadmin"
    public static let admin = "admin"
    public static let adminCabang = "admin-cabang"
    public static let merchant = "merchant"
    public static let officialTeam = "official-team"
    public static let player = "player"
    public static let guardian = "guardian"
    public static let gameAdmin = "game-admin"
    public static let user = "user"

    /// Every role, highest first.
    public static let roles: [Role] = [
        Role(
            name: superadmin, description: "Superadmin platform", perBranch: false, rank: 100,
            permissions: [
                (.usersManage, .all), (.rolesGrant, .all), (.tenantsRead, .all), (.tenantsManage, .all), (.cmsWrite, .all),
                (.athletesRead, .all), (.athletesWrite, .all), (.gmsRead, .all), (.gmsWrite, .all), (.marketplaceManage, .all),
                (.marketplaceModerate, .all), (.marketplaceBuy, .all), (.bookingManage, .all), (.bookingDeals, .all), (.bookingBook, .all),
                (.mediaManage, .all), (.mediaUpload, .all), (.paymentsRead, .all), (.paymentsRefund, .all),
            ]),
        Role(
            name: admin, description: "Admin KONI Pusat", perBranch: false, rank: 90,
            permissions: [
                (.usersManage, .all), (.rolesGrant, .all), (.tenantsRead, .all), (.tenantsManage, .all), (.cmsWrite, .all),
                (.athletesRead, .all), (.athletesWrite, .all), (.gmsRead, .all), (.gmsWrite, .all), (.marketplaceModerate, .all),
                (.marketplaceBuy, .all), (.bookingManage, .all), (.bookingDeals, .all), (.bookingBook, .all), (.mediaManage, .all),
                (.mediaUpload, .all), (.paymentsRead, .all), (.paymentsRefund, .all),
            ]),
        Role(
            name: adminCabang, description: "Admin cabang (satu KONI daerah)", perBranch: true, rank: 50,
            permissions: [
                (.usersManage, .own), (.rolesGrant, .own), (.tenantsRead, .own), (.cmsWrite, .own), (.athletesRead, .own),
                (.athletesWrite, .own), (.gmsRead, .all), (.marketplaceBuy, .all), (.bookingBook, .all), (.mediaManage, .own),
                (.mediaUpload, .own), (.paymentsRead, .own),
            ]),
        Role(
            name: merchant, description: "Penjual marketplace", perBranch: false, rank: 20,
            permissions: [
                (.marketplaceSell, .self), (.marketplaceBuy, .all), (.bookingBook, .all), (.mediaUpload, .self),
            ]),
        Role(
            name: officialTeam, description: "Official tim (pelatih/manajer)", perBranch: true, rank: 30,
            permissions: [
                (.athletesTeam, .own), (.gmsRead, .all), (.marketplaceBuy, .all), (.bookingBook, .all), (.mediaUpload, .self),
            ]),
        Role(
            name: player, description: "Atlet", perBranch: true, rank: 10,
            permissions: [
                (.athletesProfile, .self), (.gmsRead, .all), (.marketplaceBuy, .all), (.bookingBook, .all), (.mediaUpload, .self),
            ]),
        Role(
            name: guardian, description: "Wali atlet di bawah umur", perBranch: true, rank: 10,
            permissions: [
                (.athletesWard, .self), (.gmsRead, .all), (.marketplaceBuy, .all), (.bookingBook, .all), (.mediaWard, .self),
            ]),
        Role(
            name: gameAdmin, description: "Admin pertandingan (GMS)", perBranch: false, rank: 40,
            permissions: [
                (.athletesRead, .all), (.gmsRead, .all), (.gmsWrite, .all), (.marketplaceBuy, .all), (.bookingBook, .all),
                (.mediaUpload, .all),
            ]),
        Role(
            name: user, description: "Pengguna umum", perBranch: false, rank: 0,
            permissions: [
                (.marketplaceBuy, .all), (.marketplaceReview, .all), (.bookingBook, .all),
            ]),
    ]

    /// The role named `name`.
    public static func role(_ name: String) -> Role? { roles.first { $0.name == name } }

    /// Every permission any role holds, sorted.
    public static var permissions: [Permission] {
        Array(Set(roles.flatMap { $0.permissions.map(\.0) })).sorted()
    }

    /// Whether a holder of `granterRoles` may grant `role`: `superadmin` grants anything, `admin`
    /// anything but `superadmin`, and `admin-cabang` the per-branch roles below it, for its own
    /// branch only (the caller checks the branch). An `admin-cabang` cannot make another
    /// `admin-cabang`, and nobody but a superadmin makes a superadmin.
    public static func canGrant(_ role: String, granterRoles: [String]) -> Bool {
        guard let target = self.role(role) else { return false }
        if granterRoles.contains(superadmin) { return true }
        if granterRoles.contains(admin) { return target.name != superadmin }
        if granterRoles.contains(adminCabang) { return target.perBranch && target.rank < 50 }
        return false
    }
}
