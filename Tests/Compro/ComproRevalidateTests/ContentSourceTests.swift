import ComproBuild
import ComproContent
import ComproModel
import ComproRevalidate
import Foundation
import Testing

/// The engine reads `source: cms` tenants through a `TenantContentSource` it is given, and
/// knows nothing of HTTP: any source that produces content will do.
@Suite struct ContentSourceTests {
    /// Content from "elsewhere": the fixture folder's own content with one title changed.
    struct Elsewhere: TenantContentSource {
        func load(_ slug: String, from location: String, tenantsDirectory: String) async throws(ContentErrors) -> SiteContent {
            guard location == "memory://uji" else { throw ContentErrors([ContentError(file: "\(slug)/tenant.yml", "unknown location \(location)")]) }
            var content = try LocalContentSource(tenantsDirectory: tenantsDirectory).load(slug)
            content.news[0].title = "Dari sumber lain"
            return content
        }
    }

    func tenantFromElsewhere() throws -> String {
        let tenants = try TestSite.copyOfFixture()
        let yml = try String(contentsOfFile: "\(tenants)/uji/tenant.yml", encoding: .utf8) + "source: cms\ncms:\n  url: memory://uji\n"
        try yml.write(toFile: "\(tenants)/uji/tenant.yml", atomically: true, encoding: .utf8)
        return tenants
    }

    @Test func aTenantFromAnotherSourceIsRenderedFromWhatTheSourceGives() async throws {
        let tenants = try tenantFromElsewhere()
        let out = TestSite.temporaryDirectory("elsewhere")
        let revalidator = Revalidator(builder: SiteBuilder(environment: TestSite.environment(tenants: tenants, out: out)), contentSource: Elsewhere())
        _ = try await revalidator.revalidate(tenant: "uji")
        let home = try String(contentsOfFile: "\(out)/uji/current/index.html", encoding: .utf8)
        #expect(home.contains("Dari sumber lain"))
    }

    @Test func withoutASourceTheChangeFailsNamingTheTenantFile() async throws {
        let tenants = try tenantFromElsewhere()
        let revalidator = Revalidator(builder: SiteBuilder(environment: TestSite.environment(tenants: tenants, out: TestSite.temporaryDirectory("none"))))
        do {
            _ = try await revalidator.revalidate(tenant: "uji")
            Issue.record("revalidated without a content source")
        } catch {
            #expect(error.description.contains("uji/tenant.yml"), "\(error)")
            #expect(error.description.contains("without a CMS content source"), "\(error)")
        }
    }
}
