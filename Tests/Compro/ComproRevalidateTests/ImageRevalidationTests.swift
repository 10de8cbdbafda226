import ComproBuild
import ComproModel
import ComproPublish
import ComproRevalidate
import ComproTestSupport
import Foundation
import KoniTestSupport
import Testing

/// Photos in the daemon: an edit encodes nothing it already has, a cover changed to another photo
/// makes only that photo's card, a new photo in `static/` is encoded once, and every live tree
/// equals a full build of the same content.
@Suite struct ImageRevalidationTests {
    func setCover(_ tenants: String, _ slug: String, _ cover: String) throws {
        let file = "\(tenants)/uji/content/news/\(slug).md"
        var lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n").filter { !$0.hasPrefix("cover:") }
        lines.insert("cover: \(cover)", at: 1)
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// The cache's files with their modification times.
    func cacheFiles(_ cache: String) throws -> [String: Date] {
        var result: [String: Date] = [:]
        for path in FileManager.default.enumerator(atPath: cache)?.allObjects as? [String] ?? [] where path.contains(".") {
            result[path] = try FileManager.default.attributesOfItem(atPath: "\(cache)/\(path)")[.modificationDate] as? Date
        }
        return result
    }

    func expectEqualToAFullBuild(_ tenants: String, _ out: String, cache: String, _ context: String) throws {
        var environment = Fixture.environment(tenants: tenants, out: Fixture.temporaryDirectory("full"))
        environment.imageCacheDirectory = cache
        let builder = SiteBuilder(environment: environment)
        _ = try builder.build(slug: "uji")
        Fixture.expectEqual(
            try Fixture.tree(currentLink: "\(out)/uji/current"), try Fixture.tree(currentLink: "\(environment.outputDirectory)/uji/current"), context
        )
    }

    @Test func photosAreEncodedOnceAndTheLiveSiteEqualsAFullBuild() async throws {
        let tenants = try Fixture.copyOfTenants()
        let photos = "\(tenants)/uji/static/images/foto"
        try FileManager.default.createDirectory(atPath: photos, withIntermediateDirectories: true)
        try Data(try ImageFixtures.photo(1200, 800)).write(to: URL(fileURLWithPath: "\(photos)/a.jpg"))
        try Data(try ImageFixtures.photo(900, 600)).write(to: URL(fileURLWithPath: "\(photos)/b.jpg"))
        try setCover(tenants, "berita-02", "/images/foto/a.jpg")
        let out = Fixture.temporaryDirectory("daemon")
        let cache = Fixture.temporaryDirectory("variants")
        var environment = Fixture.environment(tenants: tenants, out: out)
        environment.imageCacheDirectory = cache
        let revalidator = Revalidator(builder: SiteBuilder(environment: environment))
        _ = try await revalidator.revalidate(tenant: "uji")
        let first = try cacheFiles(cache)
        #expect(first.keys.contains { $0.hasSuffix("-card.jpg") }, "a.jpg leads berita-02: it has a card")

        // A title edit: pages only, nothing encoded.
        let file = "\(tenants)/uji/content/news/berita-02.md"
        try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "Berita uji nomor 2:", with: "Judul baru 2:")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let edit = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "berita-02")])
        #expect(!edit.fullRelease)
        #expect(try cacheFiles(cache) == first, "an edit that changes no photo encodes nothing")

        // The cover becomes b.jpg, which led no page: its card is made (and nothing else), and the
        // release is a full one, since a layer carries pages only.
        try setCover(tenants, "berita-02", "/images/foto/b.jpg")
        let swap = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "berita-02")])
        #expect(swap.fullRelease)
        let second = try cacheFiles(cache)
        let added = Set(second.keys).subtracting(first.keys)
        #expect(added.count == 1 && added.allSatisfy { $0.hasSuffix("-card.jpg") }, "\(added)")
        #expect(second.filter { !$0.key.hasSuffix(".json") && first[$0.key] != nil && first[$0.key] != $0.value }.isEmpty, "no variant written again")
        let page = String(decoding: try ReleaseReader(currentLink: "\(out)/uji/current").read("berita/berita-02/index.html") ?? Data(), as: UTF8.self)
        let card = try #require(page.firstMatch(of: /og:image" content="https:\/\/uji\.koni\.id\/(_img\/[^"]+-card\.jpg)"/)?.1)
        #expect(try ReleaseReader(currentLink: "\(out)/uji/current").read(String(card)) != nil, "the card is published")
        try expectEqualToAFullBuild(tenants, out, cache: cache, "after the cover change")

        // A new photo under static/ (found by a rescan) and an article using it.
        try Data(try ImageFixtures.photo(1000, 700)).write(to: URL(fileURLWithPath: "\(photos)/c.jpg"))
        try "---\ntitle: Foto baru\ndate: 2026-11-21\ncover: /images/foto/c.jpg\ncover_alt: Foto baru\n---\nIsi.\n"
            .write(toFile: "\(tenants)/uji/content/news/foto-baru.md", atomically: true, encoding: .utf8)
        let created = try await revalidator.revalidate(
            tenant: "uji", changes: [ContentChange(entity: .news, slug: "foto-baru", action: "created")], rescan: true
        )
        #expect(created.fullRelease)
        let third = try cacheFiles(cache)
        let made = Set(third.keys).subtracting(second.keys).filter { !$0.hasSuffix(".json") }
        // Three widths (480, 960 and its own 1000 px) in each format, and its card.
        #expect(made.count == 3 * environment.imageSettings.formats.count + 1, "\(made.sorted())")
        try expectEqualToAFullBuild(tenants, out, cache: cache, "after the new photo")
    }
}
