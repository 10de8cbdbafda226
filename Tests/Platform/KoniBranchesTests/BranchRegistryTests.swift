import ComproModel
import Foundation
import KoniBranches
import KoniTestSupport
import Testing

/// The branches the Auth service and the admin know, read from the tenant folders.
@Suite struct BranchRegistryTests {
    static func tenants(_ files: [String: String]) throws -> String {
        let root = TemporaryFolders.make("branches")
        for (path, text) in files {
            let file = "\(root)/\(path)"
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func branchesAreFoundByHostByExactCallbackBySlugAndByID() throws {
        let root = try Self.tenants([
            "jatim/tenant.yml": "name: KONI Jawa Timur\ndomains: [jatim.koni.id, www.koni-jatim.id]\ntimezone: Asia/Jakarta",
            "papua/tenant.yml": "name: KONI Papua\ntimezone: Asia/Jayapura",
            "catatan/README.md": "not a branch: no tenant.yml",
        ])
        try FileManager.default.createDirectory(atPath: "\(root)/Bukan Slug", withIntermediateDirectories: true)
        let registry = try BranchRegistry.load(tenantsDirectory: root)
        #expect(registry.branches.map(\.slug) == ["jatim", "papua"])
        let jatim = try #require(registry.branch(slug: "jatim"))
        #expect(jatim.domains == ["jatim.koni.id", "www.koni-jatim.id"])
        #expect(jatim.id == BranchID.derived(slug: "jatim"))
        #expect(registry.branch(id: jatim.id)?.slug == "jatim")
        #expect(registry.branch(slug: "papua")?.domains == ["papua.koni.id"], "the default domain")
        #expect(registry.branch(slug: "papua")?.timeZone == .jayapura)

        #expect(registry.branch(host: "JATIM.koni.id:443")?.slug == "jatim")
        #expect(registry.branch(host: "jatim.koni.id.evil.example") == nil)
        #expect(registry.branch(redirectURI: "https://www.koni-jatim.id/auth/callback")?.slug == "jatim")
        for forged in [
            "http://www.koni-jatim.id/auth/callback", "https://www.koni-jatim.id/auth/callback/", "https://www.koni-jatim.id/auth/callback?next=x",
            "https://evil.example/auth/callback", "https://www.koni-jatim.id/auth/callback" + String(repeating: "x", count: 300),
        ] {
            #expect(registry.branch(redirectURI: forged) == nil, "\(forged.prefix(80))")
        }
    }

    @Test func aTenantFileThatDoesNotParseStopsTheLoadNamingIt() throws {
        let root = try Self.tenants(["jatim/tenant.yml": "name: KONI Jawa Timur", "jabar/tenant.yml": "name: [unclosed"])
        do {
            _ = try BranchRegistry.load(tenantsDirectory: root)
            Issue.record("a half-read registry was accepted")
        } catch {
            #expect("\(error)".contains("jabar/tenant.yml"), "\(error)")
        }
    }
}
