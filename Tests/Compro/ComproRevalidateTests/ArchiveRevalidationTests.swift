import ComproBuild
import ComproModel
import ComproPublish
import ComproRevalidate
import ComproTestSupport
import Foundation
import KoniTestSupport
import Testing

/// Archive pages keep their items when an older item is deleted: by the daemon and by a later
/// full build alike, unless the build is asked to renumber.
@Suite struct ArchiveRevalidationTests {
    /// The fixture tenant (4 news per page) with `extra` news from 2025 tagged `porprov`.
    static func tenantsWithArchive(extra: Int) throws -> String {
        let tenants = try Fixture.copyOfTenants()
        for n in 0..<extra {
            let day = String(format: "2025-%02d-%02d", 1 + n % 12, 1 + n % 28)
            try "---\ntitle: Arsip \(n)\ndate: \(day) 08:\(String(format: "%02d", n % 60))\ntags: [porprov]\n---\nIsi \(n).\n"
                .write(toFile: "\(tenants)/uji/content/news/arsip-\(n).md", atomically: true, encoding: .utf8)
        }
        return tenants
    }

    static func archivePages(_ tree: [String: Data], prefix: String) -> [String: Data] {
        tree.filter { $0.key.hasPrefix(prefix) && !$0.key.hasSuffix(".gz") }
    }

    @Test func aDeletionRewritesABoundedSetOfPagesWhateverTheArchiveSize() async throws {
        var written: [Int: [String]] = [:]
        for extra in [0, 240] {
            let tenants = try Self.tenantsWithArchive(extra: extra)
            let out = Fixture.temporaryDirectory("archive-delete")
            let revalidator = Revalidator(builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)))
            _ = try await revalidator.revalidate(tenant: "uji")
            // The oldest fixture item: every archive page newer than it moved under the old numbering.
            let oldest = extra > 0 ? "arsip-0" : "berita-01"
            try FileManager.default.removeItem(atPath: "\(tenants)/uji/content/news/\(oldest).md")
            let result = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: oldest, action: "deleted")])
            written[extra] = result.written.sorted()
            let archive = result.written.filter { $0.hasPrefix("berita/page/") }
            #expect(archive.count <= 1, "\(archive)")
            let tagArchive = result.written.filter { $0.hasPrefix("tag/porprov/page/") }
            #expect(tagArchive.count <= 1, "\(tagArchive)")
        }
        try Self.expectTheSameCostWhateverTheArchiveSize(written)
    }

    @Test func aNewItemRewritesABoundedSetOfPagesWhateverTheArchiveSize() async throws {
        var written: [Int: [String]] = [:]
        for extra in [0, 240] {
            let tenants = try Self.tenantsWithArchive(extra: extra)
            let out = Fixture.temporaryDirectory("archive")
            let revalidator = Revalidator(builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)))
            _ = try await revalidator.revalidate(tenant: "uji")
            try "---\ntitle: Paling baru\ndate: 2026-11-20\ntags: [porprov]\n---\nBaru.\n"
                .write(toFile: "\(tenants)/uji/content/news/paling-baru.md", atomically: true, encoding: .utf8)
            let result = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "paling-baru", action: "created")])
            written[extra] = result.written.sorted()
            let archive = result.written.filter { $0.hasPrefix("berita/page/") }
            #expect(archive.count <= 2, "\(archive)")
        }
        try Self.expectTheSameCostWhateverTheArchiveSize(written)
    }

    /// The files written at 240 more archived news are about those written without, and few.
    static func expectTheSameCostWhateverTheArchiveSize(_ written: [Int: [String]]) throws {
        let small = try #require(written[0])
        let large = try #require(written[240])
        #expect(large.count <= small.count + 2, "small archive: \(small)\nlarge archive: \(large)")
        #expect(large.count < 20, "\(large)")
    }

    @Test func aFullBuildKeepsTheLiveArchivePagesUnlessAskedToRenumber() throws {
        let tenants = try Self.tenantsWithArchive(extra: 40)
        let out = Fixture.temporaryDirectory("archive-build")
        let environment = Fixture.environment(tenants: tenants, out: out)
        _ = try SiteBuilder(environment: environment).build(slug: "uji")
        let before = Self.archivePages(try Fixture.tree(currentLink: "\(out)/uji/current"), prefix: "berita/page/")
        // arsip-0 is dated 2025-01-01, the oldest item: it is on page 1.
        try FileManager.default.removeItem(atPath: "\(tenants)/uji/content/news/arsip-0.md")
        _ = try SiteBuilder(environment: environment).build(slug: "uji")
        let kept = Self.archivePages(try Fixture.tree(currentLink: "\(out)/uji/current"), prefix: "berita/page/")
        #expect(Set(kept.keys) == Set(before.keys), "no archive page appears or goes")
        let changed = kept.keys.filter { kept[$0] != before[$0] }.sorted()
        #expect(changed == ["berita/page/1/index.html"], "only the deleted item's page changes: \(changed)")
        let pageOne = String(decoding: kept["berita/page/1/index.html"] ?? Data(), as: UTF8.self)
        #expect(!pageOne.contains("arsip-0") && pageOne.contains("arsip-12"))

        var renumbering = environment
        renumbering.renumberArchive = true
        _ = try SiteBuilder(environment: renumbering).build(slug: "uji")
        let renumbered = Self.archivePages(try Fixture.tree(currentLink: "\(out)/uji/current"), prefix: "berita/page/")
        let moved = renumbered.keys.filter { renumbered[$0] != kept[$0] }
        #expect(moved.count > 3, "renumbering moves an item of every archive page: \(moved.sorted())")
        let layout = try #require(try Publisher(outputDirectory: out).liveArchiveLayout("uji"))
        #expect(layout.perPage == 4)
        #expect(layout.news.count == (40 - 1 + 12) / 4, "the renumbered archive is full pages again")
    }

    /// A new date moves an item between closed archive pages without moving it in the order, or
    /// opens a new archive page while every page keeps its end: the daemon publishes what a full
    /// build with the same history publishes.
    @Test func aNewDateMovesAnItemToItsPageAndOpensOrEmptiesPages() async throws {
        // 9 archived news (2025-01-01 … 2025-09-09) and the fixture's 11 published: five full pages of 4.
        let tenants = try Self.tenantsWithArchive(extra: 9)
        let daemonOut = Fixture.temporaryDirectory("archive-dates")
        let freshOut = Fixture.temporaryDirectory("archive-dates-fresh")
        let revalidator = Revalidator(builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: daemonOut)))
        _ = try await revalidator.revalidate(tenant: "uji")
        _ = try SiteBuilder(environment: Fixture.environment(tenants: tenants, out: freshOut)).build(slug: "uji")
        func redate(_ slug: String, _ date: String) async throws {
            let path = "\(tenants)/uji/content/news/\(slug).md"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasPrefix("date:") ? "date: \(date)" : String($0) }
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            _ = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: slug, action: "updated")])
            _ = try SiteBuilder(environment: Fixture.environment(tenants: tenants, out: freshOut)).build(slug: "uji")
            let live = try Fixture.tree(currentLink: "\(daemonOut)/uji/current")
            Fixture.expectEqual(live, try Fixture.tree(currentLink: "\(freshOut)/uji/current"), "after \(slug) moved to \(date)")
        }
        // arsip-3 ends page 1; a later date before page 2's first item moves it to page 2 only.
        try await redate("arsip-3", "2025-04-20 08:00")
        let live = try Fixture.tree(currentLink: "\(daemonOut)/uji/current")
        #expect(String(decoding: live["berita/page/2/index.html"] ?? Data(), as: UTF8.self).contains("/berita/arsip-3/"))
        #expect(!String(decoding: live["berita/page/1/index.html"] ?? Data(), as: UTF8.self).contains("/berita/arsip-3/"))
        #expect(live["berita/page/5/index.html"] != nil && live["berita/page/6/index.html"] == nil, "five pages")
        // The oldest item becomes the newest: a sixth page opens, with it alone.
        try await redate("arsip-0", "2026-11-20 08:00")
        let opened = try Fixture.tree(currentLink: "\(daemonOut)/uji/current")
        #expect(String(decoding: opened["berita/page/6/index.html"] ?? Data(), as: UTF8.self).contains("/berita/arsip-0/"))
        // And back: the sixth page empties and goes.
        try await redate("arsip-0", "2025-01-01 08:00")
        #expect(try Fixture.tree(currentLink: "\(daemonOut)/uji/current")["berita/page/6/index.html"] == nil)
    }

    @Test func anUnreadableLiveManifestStopsTheBuildInsteadOfRenumbering() throws {
        let tenants = try Self.tenantsWithArchive(extra: 8)
        let out = Fixture.temporaryDirectory("archive-corrupt")
        let environment = Fixture.environment(tenants: tenants, out: out)
        _ = try SiteBuilder(environment: environment).build(slug: "uji")
        let publisher = Publisher(outputDirectory: out)
        let release = try #require(publisher.currentRelease("uji"))
        let manifest = "\(publisher.releasesDirectory("uji"))/\(release)/\(ReleaseManifest.relativePath)"
        try #"{"archive":{"news":["not a key"],"perPage":4,"tags":{}}}"#.write(toFile: manifest, atomically: false, encoding: .utf8)
        #expect {
            try SiteBuilder(environment: environment).build(slug: "uji")
        } throws: { error in
            "\(error)".contains(manifest) && "\(error)".contains("--renumber-archive")
        }
        #expect(publisher.currentRelease("uji") == release, "the live release stays")
        var renumbering = environment
        renumbering.renumberArchive = true
        _ = try SiteBuilder(environment: renumbering).build(slug: "uji")
        #expect(publisher.currentRelease("uji") != release)
    }
}
