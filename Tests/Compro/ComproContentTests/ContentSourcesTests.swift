import ComproContent
import ComproModel
import Testing

/// Which source a tenant is read from is decided in one place for the build and the daemon,
/// from `tenant.yml`'s `source:` and its address.
@Suite struct ContentSourcesTests {
    /// A source that is never read: these tests only ask which one is chosen.
    struct Unread: TenantContentSource {
        func load(_ slug: String, from location: String, tenantsDirectory: String) async throws(ContentErrors) -> SourcedContent {
            throw ContentErrors([ContentError(file: slug, "not read in this test")])
        }

        func mirror(_ slug: String, from location: String) -> any ContentMirror {
            fatalError("not mirrored in this test")
        }
    }

    func config(_ yaml: String) throws(ContentError) -> TenantConfig {
        try TenantConfigParser.parse("name: KONI Uji\n" + yaml, slug: "uji", file: "uji/tenant.yml")
    }

    func configError(_ yaml: String) -> ContentError? {
        do throws(ContentError) {
            _ = try config(yaml)
            return nil
        } catch {
            return error
        }
    }

    func refusal(_ body: () throws(ContentErrors) -> ResolvedContentSource?) -> String? {
        do throws(ContentErrors) {
            _ = try body()
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aFolderTenantHasNoOtherSource() throws {
        let sources = ContentSources([.cms: Unread()])
        #expect(try sources.resolve(config("")) == nil)
        // An address alone does not move the tenant: `source:` does.
        #expect(try sources.resolve(config("cms:\n  url: http://cms.internal:8003\n")) == nil)
    }

    @Test func aCMSTenantIsReadAtItsAddress() throws {
        let resolved = try ContentSources([.cms: Unread()]).resolve(config("source: cms\ncms:\n  url: http://cms.internal:8003/\n"))
        #expect(resolved?.kind == .cms)
        #expect(resolved?.location == "http://cms.internal:8003")
    }

    @Test func aSourceWithoutItsAddressIsRefusedNamingTheSetting() throws {
        let config = try config("source: cms\n")
        let reason = try #require(refusal { () throws(ContentErrors) in try ContentSources([.cms: Unread()]).resolve(config) })
        #expect(reason.contains("uji/tenant.yml"))
        #expect(reason.contains("'cms: {url: http://…}'"))
    }

    @Test func aSourceThisProcessDoesNotCarryIsRefusedNamingIt() throws {
        let config = try config("source: cms\ncms:\n  url: http://cms.internal:8003\n")
        let reason = try #require(refusal { () throws(ContentErrors) in try ContentSources().resolve(config) })
        #expect(reason.contains("uji/tenant.yml"))
        #expect(reason.contains("without a cms content source"))
    }

    /// The address is checked where it is written, with its line, like the services' addresses.
    @Test(arguments: ["ftp://cms.internal", "javascript:alert(1)", "http://cms.internal/?next=x", "http://cms internal"])
    func anAddressThatIsNotHTTPIsRefusedWithItsLine(_ url: String) throws {
        let error = try #require(configError("source: cms\ncms:\n  url: \"\(url)\"\n"))
        #expect(error.location.line == 4, "\(error)")
        #expect(error.reason.contains("not an http(s) address"), "\(error)")
    }

    @Test func anUnknownSourceNamesTheKnownOnes() throws {
        let error = try #require(configError("source: ftp\n"))
        #expect(error.reason.contains("'local' or 'cms'"), "\(error)")
    }
}
