import ComproBuild
import ComproModel
import ComproTestSupport
import Foundation
import KoniTestSupport
import Testing

/// The image step inside whole builds: photos become variants the pages offer with `srcset`,
/// no published byte carries a photo's metadata, unchanged photos are never encoded again, and a
/// hostile photo fails the build with its file named and the live site untouched.
@Suite struct ImageBuildTests {
    /// The fixture tenant with a 2000 × 1500 phone photo (EXIF: orientation 6, so it is a 1500 × 2000
    /// portrait, GPS and a marker text) as the cover of `berita-01` and as the gallery's first
    /// photo; the builder has its own variant cache.
    func photoTenant() throws -> (builder: SiteBuilder, tenants: String, cache: String) {
        let tenants = try Fixture.copyOfTenants()
        let photo = ImageFixtures.withExif(try ImageFixtures.photo(2000, 1500))
        try FileManager.default.createDirectory(atPath: "\(tenants)/uji/static/images/foto", withIntermediateDirectories: true)
        try Data(photo).write(to: URL(fileURLWithPath: "\(tenants)/uji/static/images/foto/defile.jpg"))
        let news = "\(tenants)/uji/content/news/berita-01.md"
        let text = try String(contentsOfFile: news, encoding: .utf8)
        try text.replacingOccurrences(of: "author: Tim Humas\n", with: "author: Tim Humas\ncover: /images/foto/defile.jpg\ncover_alt: Kontingen berbaris\n")
            .write(toFile: news, atomically: true, encoding: .utf8)
        let gallery = "\(tenants)/uji/content/galleries/porprov-2026.md"
        let galleryText = try String(contentsOfFile: gallery, encoding: .utf8)
        try galleryText.replacingOccurrences(
            of: "{src: /images/logo.svg, alt: Kontingen berbaris", with: "{src: /images/foto/defile.jpg, alt: Kontingen berbaris"
        )
        .write(toFile: gallery, atomically: true, encoding: .utf8)
        var environment = Fixture.environment(tenants: tenants)
        let cache = TemporaryFolders.make("variants")
        environment.imageCacheDirectory = cache
        return (SiteBuilder(environment: environment), tenants, cache)
    }

    func published(_ builder: SiteBuilder, _ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: "\(builder.environment.outputDirectory)/uji/current/\(path)")))
    }

    /// Every file of the live release, by site path.
    func releaseFiles(_ builder: SiteBuilder) -> [String] {
        let current = URL(fileURLWithPath: "\(builder.environment.outputDirectory)/uji/current").resolvingSymlinksInPath().path + "/"
        return (FileManager.default.enumerator(atPath: current)?.allObjects as? [String] ?? []).filter {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: current + $0, isDirectory: &isFolder) && !isFolder.boolValue
        }
    }

    @Test func pagesOfferTheVariantsWithTheirSize() throws {
        let (builder, _, _) = try photoTenant()
        _ = try builder.build(slug: "uji")
        let article = String(decoding: try published(builder, "berita/berita-01/index.html"), as: UTF8.self)
        // The lead image: WebP source and JPEG srcset at 480, 960 and 1500 px (1600 asked, never
        // enlarged), the widest size promised, fetched first and not lazily.
        let webp = try #require(article.firstMatch(of: /<source type="image\/webp" srcset="([^"]+)"/)?.1)
        #expect(webp.contains("-480.webp 480w") && webp.contains("-960.webp 960w") && webp.contains("-1500.webp 1500w"))
        let image = try #require(
            article.firstMatch(
                of: /<img src="(\/_img\/[^"]+-960\.jpg)" srcset="([^"]+)" sizes="[^"]+" alt="Kontingen berbaris" width="1500" height="2000"([^>]*)>/))
        #expect(image.2.contains("-1500.jpg 1500w"))
        #expect(image.3.contains("fetchpriority=\"high\"") && !image.3.contains("loading=\"lazy\""))
        // The Open Graph card: 1200 × 630, absolute address.
        #expect(article.contains("<meta property=\"og:image\" content=\"https://uji.koni.id/_img/"))
        #expect(article.contains("-card.jpg\">") && article.contains("<meta property=\"og:image:width\" content=\"1200\">"))
        #expect(article.contains("<meta property=\"og:image:height\" content=\"630\">"))
        // A card in a list: lazy, same variants.
        let list = String(decoding: try published(builder, "galeri/index.html"), as: UTF8.self)
        #expect(list.contains("alt=\"Kontingen berbaris\" width=\"1500\" height=\"2000\" loading=\"lazy\" decoding=\"async\">"))
        // Every variant a page names is in the release, and has the promised width.
        let named = Dictionary(article.matches(of: /\/(_img\/[0-9a-f]{2}\/[0-9a-f]+-(\d+)\.(webp|jpg|avif))/).map { (String($0.1), Int($0.2) ?? 0) }) { a, _ in
            a
        }
        #expect(named.count >= 6)
        for (path, width) in named {
            let bytes = try published(builder, path)
            let header = try ImageFixtures.vipsHeader(bytes, field: "width")
            #expect(header == String(width), "\(path) is \(header) px wide")
        }
        // A drawing stays a drawing: a plain img, the file as it was.
        let gallery = String(decoding: try published(builder, "galeri/porprov-2026/index.html"), as: UTF8.self)
        #expect(gallery.contains("<picture><img src=\"/images/logo.svg\" alt=\"Penyalaan api\" loading=\"lazy\" decoding=\"async\"></picture>"))
        let logo = Array(try Data(contentsOf: URL(fileURLWithPath: "\(Fixture.tenants)/uji/static/images/logo.svg")))
        #expect(try published(builder, "images/logo.svg") == logo)
    }

    @Test func noPublishedByteCarriesThePhotosMetadata() throws {
        let (builder, tenants, _) = try photoTenant()
        _ = try builder.build(slug: "uji")
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: "\(tenants)/uji/static/images/foto/defile.jpg")))
        #expect(original.contains(ImageFixtures.gpsMarker), "the fixture itself carries the marker")
        var checked = 0
        for path in releaseFiles(builder) {
            let bytes = try published(builder, path)
            #expect(!bytes.contains(ImageFixtures.gpsMarker), "\(path) carries the photo's EXIF text")
            #expect(bytes != original, "\(path) is the original photo")
            checked += 1
        }
        #expect(checked > 30)
        // The photo's own address still answers, with the widest variant, turned upright.
        let own = try published(builder, "images/foto/defile.jpg")
        #expect(try ImageFixtures.vipsHeader(own, field: "width") == "1500")
        #expect(try ImageFixtures.vipsHeader(own, field: "height") == "2000")
    }

    @Test func aRebuildEncodesNothingAndSharesTheFiles() throws {
        let (builder, _, cache) = try photoTenant()
        _ = try builder.build(slug: "uji")
        let files = (FileManager.default.enumerator(atPath: cache)?.allObjects as? [String] ?? []).sorted()
        let variants = files.filter { $0.hasSuffix(".jpg") || $0.hasSuffix(".webp") || $0.hasSuffix(".avif") }
        #expect(variants.count >= 7, "\(files)")
        let stamps = try variants.map { try FileManager.default.attributesOfItem(atPath: "\(cache)/\($0)")[.modificationDate] as? Date }
        // A new builder (a new process) with the same cache: nothing is written again.
        let second = SiteBuilder(environment: builder.environment)
        _ = try second.build(slug: "uji")
        #expect((FileManager.default.enumerator(atPath: cache)?.allObjects as? [String] ?? []).sorted() == files)
        let after = try variants.map { try FileManager.default.attributesOfItem(atPath: "\(cache)/\($0)")[.modificationDate] as? Date }
        #expect(after == stamps)
        // The release's variant is the cache's file (a hard link), not a copy.
        let variant = try #require(variants.first { $0.hasSuffix("-480.webp") })
        var inCache = stat()
        var inRelease = stat()
        #expect(stat("\(cache)/\(variant)", &inCache) == 0)
        #expect(stat("\(builder.environment.outputDirectory)/uji/current/_img/\(variant)", &inRelease) == 0)
        #expect(inCache.st_ino == inRelease.st_ino && inCache.st_nlink >= 3, "two releases and the cache share one file")
    }

    @Test(arguments: [
        ("bomb", ImageFixtures.pngClaiming(width: 100_000, height: 100_000), "uji/static/images/foto/defile.jpg: image refused"),
        ("html", Array("<html><script>alert(1)</script></html>".utf8), "uji/static/images/foto/defile.jpg: the name says photo"),
        ("animated", ImageFixtures.animatedGIF, "uji/static/images/foto/defile.jpg: image refused"),
    ])
    func aHostilePhotoFailsTheBuildAndKeepsTheLiveSite(name: String, bytes: [UInt8], message: String) throws {
        let (builder, tenants, _) = try photoTenant()
        let good = try builder.build(slug: "uji")
        let before = try published(builder, "berita/berita-01/index.html")
        try Data(bytes).write(to: URL(fileURLWithPath: "\(tenants)/uji/static/images/foto/defile.jpg"))
        do {
            _ = try builder.build(slug: "uji")
            Issue.record("\(name): the build succeeded")
        } catch {
            #expect(error.description.contains(message), "\(name): \(error.description)")
        }
        #expect(builder.publisher.currentRelease("uji") == good.release)
        #expect(try published(builder, "berita/berita-01/index.html") == before)
    }
}
