import ComproBuild
import ComproContent
import ComproModel
import ComproPublish
import ComproRevalidate
import ComproTestSupport
import Foundation
import Synchronization
import Testing

/// The engine reads `source: cms` tenants through a `TenantContentSource` it is given, and
/// knows nothing of HTTP: any source that produces content will do.
@Suite struct ContentSourceTests {
    /// Content from "elsewhere": the fixture folder's own content with one title changed, kept
    /// in memory (an in-memory mirror for fast unit tests; the CMS's real one is tested against
    /// the real CMS in CMSServiceTests).
    struct Elsewhere: TenantContentSource {
        let mirrors = MirrorTable()

        func load(_ slug: String, from location: String, tenantsDirectory: String) async throws(ContentErrors) -> SourcedContent {
            throw ContentErrors([ContentError(file: slug, "the engine reads through the mirror")])
        }

        func mirror(_ slug: String, from location: String) -> any ContentMirror {
            mirrors.mirror(slug, location: location)
        }
    }

    final class MirrorTable: Sendable {
        private let table = Mutex<[String: MemoryMirror]>([:])
        func mirror(_ slug: String, location: String) -> MemoryMirror {
            table.withLock { table in
                if let mirror = table[slug] { return mirror }
                let mirror = MemoryMirror(slug: slug, location: location)
                table[slug] = mirror
                return mirror
            }
        }
    }

    /// Items keyed by a stable id (their original file name), changed by the test.
    final class MemoryMirror: ContentMirror {
        struct State {
            var config: TenantConfig?
            var items: [LocalContentSource.ContentFile: Result<ParsedItem, ContentError>] = [:]
            var dirty: Set<LocalContentSource.ContentFile> = []
            var cursor = 0
        }
        let slug: String
        let location: String
        let state = Mutex(State())

        init(slug: String, location: String) {
            self.slug = slug
            self.location = location
        }

        var isLoaded: Bool { state.withLock { $0.config != nil } }
        var origin: String { "memory:\(location)" }

        func catchUp() async throws(ContentErrors) {
            guard location == "http://uji.memory" else { throw ContentErrors([ContentError(file: "\(slug)/tenant.yml", "unknown location \(location)")]) }
            guard !isLoaded else { return }
            let source = LocalContentSource(tenantsDirectory: Fixture.tenants)
            let config = try source.loadConfig(slug)
            var items: [LocalContentSource.ContentFile: Result<ParsedItem, ContentError>] = [:]
            for file in source.contentFiles(slug) {
                var result = source.parse(file, config: config)
                if case .success(.news(var news)) = result, news.meta.slug == "berita-10" {
                    news.title = "Dari sumber lain"
                    result = .success(.news(news))
                }
                items[file] = result
            }
            state.withLock { $0 = State(config: config, items: items) }
        }

        func reconcile() async throws(ContentErrors) -> Bool { false }
        func sourceCursor() async throws(ContentErrors) -> String { String(state.withLock { $0.cursor }) }

        func takeChanges(everything: Bool) -> MirrorChanges? {
            state.withLock { state in
                guard let config = state.config else { return nil }
                defer { state.dirty = [] }
                var items: [LocalContentSource.ContentFile: Result<ParsedItem, ContentError>?] = [:]
                for file in everything ? Set(state.items.keys) : state.dirty { items[file] = .some(state.items[file]) }
                return MirrorChanges(config: config, configChanged: everything, items: items, complete: everything, cursor: String(state.cursor))
            }
        }

        /// Changes one item (nil removes it), as an editor's save would.
        func change(_ file: LocalContentSource.ContentFile, _ edit: (ParsedItem) -> ParsedItem?) {
            state.withLock { state in
                guard case .success(let item)? = state.items[file] else { return }
                state.items[file] = edit(item).map { .success($0) }
                state.dirty.insert(file)
                state.cursor += 1
            }
        }
    }

    func tenantFromElsewhere() throws -> String {
        let tenants = try Fixture.copyOfTenants()
        let yml = try String(contentsOfFile: "\(tenants)/uji/tenant.yml", encoding: .utf8) + "source: cms\ncms:\n  url: http://uji.memory\n"
        try yml.write(toFile: "\(tenants)/uji/tenant.yml", atomically: true, encoding: .utf8)
        return tenants
    }

    @Test func aTenantFromAnotherSourceIsRenderedFromWhatTheSourceGives() async throws {
        let tenants = try tenantFromElsewhere()
        let out = Fixture.temporaryDirectory("elsewhere")
        let revalidator = Revalidator(
            builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)), contentSources: ContentSources([.cms: Elsewhere()]))
        _ = try await revalidator.revalidate(tenant: "uji")
        let home = try String(contentsOfFile: "\(out)/uji/current/index.html", encoding: .utf8)
        #expect(home.contains("Dari sumber lain"))
    }

    /// After the first read, a change in the source is applied item by item: an edit rewrites
    /// the item's pages and the lists that show it, a rename moves its page, a removal deletes
    /// it, and nothing of the folder's content files is read.
    @Test func aMirrorsChangesAreAppliedItemByItem() async throws {
        let tenants = try tenantFromElsewhere()
        let out = Fixture.temporaryDirectory("mirror")
        let source = Elsewhere()
        let revalidator = Revalidator(
            builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)), contentSources: ContentSources([.cms: source]))
        _ = try await revalidator.revalidate(tenant: "uji")
        // The folder's own files no longer count: the mirror is the content.
        try FileManager.default.removeItem(atPath: "\(tenants)/uji/content")
        let mirror = source.mirrors.mirror("uji", location: "http://uji.memory")
        let file = LocalContentSource.ContentFile(kind: .news, name: "berita-10.md")
        /// A page as Nginx serves it (layers resolved).
        func served(_ path: String) throws -> String? {
            try ReleaseReader(currentLink: "\(out)/uji/current").read(path).map { String(decoding: $0, as: UTF8.self) }
        }

        mirror.change(file) { item in
            guard case .news(var news) = item else { return item }
            news.title = "Disunting di sumber"
            news.meta.revision = "disunting"
            return .news(news)
        }
        let edited = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "berita-10")])
        #expect(edited.written.contains("berita/berita-10/index.html"))
        #expect(edited.written.count < 20, "\(edited.written.sorted())")
        #expect(try served("berita/berita-10/index.html")?.contains("Disunting di sumber") == true)

        mirror.change(file) { item in
            guard case .news(var news) = item else { return item }
            news.meta.slug = "berita-sepuluh"
            news.meta.revision = "diganti-nama"
            return .news(news)
        }
        let renamed = try await revalidator.revalidate(tenant: "uji")
        #expect(renamed.written.contains("berita/berita-sepuluh/index.html"))
        #expect(try served("berita/berita-10/index.html") == nil)

        mirror.change(file) { _ in nil }
        _ = try await revalidator.revalidate(tenant: "uji")
        #expect(try served("berita/berita-sepuluh/index.html") == nil)
        #expect(try served("berita/index.html")?.contains("Disunting di sumber") == false)
    }

    @Test func withoutASourceTheChangeFailsNamingTheTenantFile() async throws {
        let tenants = try tenantFromElsewhere()
        let revalidator = Revalidator(builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: Fixture.temporaryDirectory("none"))))
        do {
            _ = try await revalidator.revalidate(tenant: "uji")
            Issue.record("revalidated without a content source")
        } catch {
            #expect(error.description.contains("uji/tenant.yml"), "\(error)")
            #expect(error.description.contains("without a cms content source"), "\(error)")
        }
    }
}
