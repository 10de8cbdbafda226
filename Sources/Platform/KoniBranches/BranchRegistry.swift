import ComproContent
import ComproModel
import Foundation

/// The branches that may receive a login: their id, slug, name and registered domains. Each
/// domain's only accepted redirect target is `https://<domain>/auth/callback`, matched exactly
/// (RFC 9700 §2.1): no prefix, pattern, port, path or query variation is accepted.
///
/// Today the registry is read from the tenant folders (`tenants/<slug>/tenant.yml`, ids by
/// ``BranchID/derived(slug:)``); the Tenant service will become the other source behind the
/// same type.
package struct BranchRegistry: Sendable {
    package struct Branch: Sendable, Equatable {
        package var id: UUID
        package var slug: String
        package var name: String
        package var domains: [String]
        /// The branch's time zone (WIB, WITA or WIT), for the times its admins type.
        package var timeZone: SiteTimeZone

        package init(id: UUID, slug: String, name: String, domains: [String], timeZone: SiteTimeZone = .jakarta) {
            self.id = id
            self.slug = slug
            self.name = name
            self.domains = domains
            self.timeZone = timeZone
        }
    }

    private let byCallback: [String: Branch]
    package let branches: [Branch]

    package init(branches: [Branch]) {
        self.branches = branches
        var byCallback: [String: Branch] = [:]
        for branch in branches {
            for domain in branch.domains { byCallback[Self.callback(domain: domain)] = branch }
        }
        self.byCallback = byCallback
    }

    /// The one redirect target of `domain`.
    package static func callback(domain: String) -> String { "https://\(domain.lowercased())/auth/callback" }

    /// The branch that `host` (a `Host` header, port removed) belongs to.
    package func branch(host: String) -> Branch? {
        let name = host.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        return branches.first { $0.domains.contains(name) }
    }

    /// The branch whose registered callback is exactly `redirectURI`, else nil.
    package func branch(redirectURI: String) -> Branch? {
        guard redirectURI.utf8.count <= 300 else { return nil }
        return byCallback[redirectURI]
    }

    package func branch(slug: String) -> Branch? { branches.first { $0.slug == slug } }
    package func branch(id: UUID) -> Branch? { branches.first { $0.id == id } }

    /// Reads every `tenants/<slug>/tenant.yml`; a `tenant.yml` that cannot be read or fails to
    /// parse is an error naming it (a login for a branch must never be decided on a half-read
    /// registry). A folder without one is not a branch, as for the generator.
    package static func load(tenantsDirectory: String) throws -> BranchRegistry {
        let folder = ConfinedFolder(root: tenantsDirectory)
        var branches: [Branch] = []
        for entry in try folder.entries("", limit: 10_000) where entry.kind == .folder && Slug.isValid(entry.name) {
            let file = "\(entry.name)/tenant.yml"
            let bytes: [UInt8]
            do throws(ConfinedFileError) {
                bytes = try folder.read(file, maximumBytes: 1 << 20)
            } catch {
                if error.kind == .missing { continue }
                throw error
            }
            let config = try TenantConfigParser.parse(String(decoding: bytes, as: UTF8.self), slug: entry.name, file: "\(tenantsDirectory)/\(file)")
            branches.append(
                Branch(
                    id: BranchID.derived(slug: entry.name), slug: entry.name, name: config.name, domains: config.domains.map { $0.lowercased() },
                    timeZone: config.timeZone))
        }
        return BranchRegistry(branches: branches.sorted { $0.slug < $1.slug })
    }
}
