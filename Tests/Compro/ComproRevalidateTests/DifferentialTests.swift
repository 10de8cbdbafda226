import ComproTestSupport
import KoniTestSupport
import ComproBuild
import ComproModel
import ComproPublish
import ComproRender
import ComproRevalidate
import Foundation
import Testing

import Dispatch

/// The proof that the manifest is exact: random edits applied to a tenant, revalidated after
/// each batch, must leave the live tree byte-identical to a full build of the same content.
///
/// The full builds go to their own output folder, built once before the first batch as the
/// daemon's is: the archive keeps the pages of the live release (docs/publishing.md), so both
/// must start from the same release and see the same batches to number the archive alike.
@Suite struct DifferentialTests {
    static let seeds: [UInt64] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]

    @Test(arguments: seeds)
    func incrementalEqualsFullBuild(seed: UInt64) async throws {
        var random = SeededRandom(seed: seed)
        let tenants = try Fixture.copyOfTenants()
        let daemonOut = Fixture.temporaryDirectory("daemon")
        let freshOut = Fixture.temporaryDirectory("fresh")
        // Odd seeds split the sitemap (index and files), so that its files are checked too.
        @Sendable func environment(out: String) -> BuildEnvironment {
            var environment = Fixture.environment(tenants: tenants, out: out)
            if seed % 2 == 1 { environment.sitemapLimits = SitemapLimits(urlsPerFile: 20, archivePagesPerFile: 2) }
            return environment
        }
        let revalidator = Revalidator(builder: SiteBuilder(environment: environment(out: daemonOut)), compactionThreshold: 30)
        let editor = ContentEditor(root: "\(tenants)/uji")

        _ = try await revalidator.revalidate(tenant: "uji")
        var expected = try Fixture.tree(currentLink: "\(daemonOut)/uji/current")
        _ = try await Fixture.offPool { () throws(BuildFailure) in
            try SiteBuilder(environment: environment(out: freshOut)).build(slug: "uji")
        }.get()
        Fixture.expectEqual(expected, try Fixture.tree(currentLink: "\(freshOut)/uji/current"), "seed \(seed) before the first batch")

        for batch in 0..<30 {
            var changes: [ContentChange] = []
            for _ in 0..<random.int(1...4) {
                changes += try editor.randomEdit(&random)
            }
            let rescan = random.int(0...3) == 0
            let daemon: Result<Regeneration, RevalidationError>
            do {
                daemon = .success(try await revalidator.revalidate(tenant: "uji", changes: rescan ? [] : changes, rescan: rescan))
            } catch {
                daemon = .failure(error)
            }
            let fresh = await Fixture.offPool { () throws(BuildFailure) in
                try SiteBuilder(environment: environment(out: freshOut)).build(slug: "uji")
            }
            let live = try Fixture.tree(currentLink: "\(daemonOut)/uji/current")
            switch (daemon, fresh) {
            case (.success, .success):
                let full = try Fixture.tree(currentLink: "\(freshOut)/uji/current")
                Fixture.expectEqual(live, full, "seed \(seed) batch \(batch) after \(changes)")
                expected = live
            case (.failure, .failure):
                Fixture.expectEqual(live, expected, "seed \(seed) batch \(batch): a failed regeneration changed the live site")
            case (.success, .failure(let error)):
                Issue.record("seed \(seed) batch \(batch): daemon published content a full build refuses: \(error)")
            case (.failure(let error), .success):
                Issue.record("seed \(seed) batch \(batch): daemon failed where a full build succeeds: \(error)")
            }
        }
    }

    @Test func singleNewsEditRewritesOnlyAffectedPages() async throws {
        let tenants = try Fixture.copyOfTenants()
        let out = Fixture.temporaryDirectory("daemon")
        let revalidator = Revalidator(builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)))
        _ = try await revalidator.revalidate(tenant: "uji")
        let file = "\(tenants)/uji/content/news/berita-02.md"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "Berita uji nomor 2:", with: "Judul baru 2:").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "berita-02")])
        // berita-02 (2026-10-05, tag porprov) is on its own page, the oldest archive page, its
        // tag's oldest archive page and in the feed; not in the home page's latest 3; the sitemap does not show titles.
        #expect(Set(result.written) == ["berita/berita-02/index.html", "berita/page/1/index.html", "tag/porprov/page/1/index.html", "feed.xml"])
        #expect(!result.fullRelease)
        let reader = try ReleaseReader(currentLink: "\(out)/uji/current")
        #expect(String(decoding: reader.read("berita/berita-02/index.html") ?? Data(), as: UTF8.self).contains("Judul baru 2"))
        #expect(reader.read("index.html") != nil, "unchanged pages come from the base")

        let again = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "berita-02")])
        #expect(again.written.isEmpty, "a duplicate event writes nothing")
        #expect(again.release == result.release)
    }

    /// The archive is numbered from the oldest: a new newest item rewrites the same few pages
    /// whether the archive has 3 pages or 60, and never a full archive page.
    @Test func deletedNewsDisappearsEverywhereAndAnswers404() async throws {
        let tenants = try Fixture.copyOfTenants()
        let out = Fixture.temporaryDirectory("daemon")
        let revalidator = Revalidator(builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)))
        _ = try await revalidator.revalidate(tenant: "uji")
        try FileManager.default.removeItem(atPath: "\(tenants)/uji/content/news/berita-11.md")
        let result = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "berita-11", action: "deleted")])
        #expect(result.removed.contains("berita/berita-11/index.html"))
        let reader = try ReleaseReader(currentLink: "\(out)/uji/current")
        #expect(reader.read("berita/berita-11/index.html") == nil)
        #expect(reader.read("berita/berita-11/index.html.gz") == nil)
        for page in ["index.html", "berita/index.html", "feed.xml", "sitemap.xml", "tag/sepak-bola/index.html"] {
            let text = String(decoding: reader.read(page) ?? Data(), as: UTF8.self)
            #expect(!text.isEmpty && !text.contains("berita-11"), "\(page) still lists the deleted item")
        }
    }

    @Test func invalidEditKeepsTheLiveSiteAndReportsTheFile() async throws {
        let tenants = try Fixture.copyOfTenants()
        let out = Fixture.temporaryDirectory("daemon")
        let revalidator = Revalidator(builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)))
        let first = try await revalidator.revalidate(tenant: "uji")
        try "---\ntitle: [rusak\n---\n".write(toFile: "\(tenants)/uji/content/news/berita-01.md", atomically: true, encoding: .utf8)
        do {
            _ = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "berita-01")])
            Issue.record("invalid content was published")
        } catch {
            #expect(error.description.contains("uji/content/news/berita-01.md"))
        }
        #expect(SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)).publisher.currentRelease("uji") == first.release)
    }
}

/// An item whose file is not named after its slug is found through the last assembled site; a
/// failed change in between must not lose that.
@Suite struct RenamedSlugTests {
    @Test func anItemNamedByItsFrontMatterIsFoundAgainAfterAFailedEdit() async throws {
        let tenants = try Fixture.copyOfTenants()
        let out = Fixture.temporaryDirectory("renamed")
        let file = "\(tenants)/uji/content/news/berita-lama.md"
        func write(_ title: String) throws {
            try "---\ntitle: \"\(title)\"\ndate: 2026-10-20 08:00\nslug: juara-umum\n---\nIsi.\n".write(toFile: file, atomically: true, encoding: .utf8)
        }
        try write("Juara umum")
        let revalidator = Revalidator(builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)))
        _ = try await revalidator.revalidate(tenant: "uji")
        // An edit that breaks the file, then one that mends it: both announced by slug.
        try "---\ntitle: [rusak\nslug: juara-umum\n---\n".write(toFile: file, atomically: true, encoding: .utf8)
        await #expect(throws: RevalidationError.self) {
            try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "juara-umum")])
        }
        try write("Juara umum lagi")
        let mended = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "juara-umum")])
        #expect(mended.written.contains("berita/juara-umum/index.html"))
        let page = try String(contentsOfFile: "\(out)/uji/current/berita/juara-umum/index.html", encoding: .utf8)
        #expect(page.contains("Juara umum lagi"))
    }
}

@Suite struct CalendarTests {
    @Test func aNewDayMovesEventsToPastAndRewritesOnlyWhatShowsThem() async throws {
        let tenants = try Fixture.copyOfTenants()
        let out = Fixture.temporaryDirectory("calendar")
        _ = try await Revalidator(builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out))).revalidate(tenant: "uji")
        // Ten days later PORPROV (until 30 November) is over.
        var later = Fixture.environment(tenants: tenants, out: out)
        later.fixedNow = SiteDate.parse("2026-12-05T10:00:00+07:00", defaultOffsetSeconds: 0)
        let result = try await Revalidator(builder: SiteBuilder(environment: later)).revalidate(tenant: "uji")
        #expect(result.written.contains("agenda/index.html"))
        #expect(result.written.contains("agenda/porprov-2026/index.html"))
        #expect(result.written.contains("index.html"), "the home page lists upcoming events")
        #expect(!result.written.contains { $0.hasPrefix("berita/") }, "news pages do not show events")
        let fresh = Fixture.temporaryDirectory("calendar-fresh")
        let freshEnvironment = later.with(out: fresh)
        _ = try await Fixture.offPool { () throws(BuildFailure) in try SiteBuilder(environment: freshEnvironment).build(slug: "uji") }.get()
        Fixture.expectEqual(
            try Fixture.tree(currentLink: "\(out)/uji/current"), try Fixture.tree(currentLink: "\(fresh)/uji/current"), "after the date moved")
    }
}

extension BuildEnvironment {
    func with(out: String) -> BuildEnvironment {
        var copy = self
        copy.outputDirectory = out
        return copy
    }
}
