import ComproContent
@testable import ComproImages
import ComproModel
import ComproTestSupport
import Foundation
import KoniTestSupport
import Testing

/// The image step on its own: which files a release gets for a tenant's photos, what the
/// catalog tells the templates, and what is refused. Whole builds with photos are in
/// ComproBuildTests (ImageBuildTests); the Media service's real routes in MediaServiceTests.
@Suite struct SiteImagesTests {
    /// The fixture tenant's content with `files` added to its static files (written to a
    /// temporary folder), and its first news item's cover set to `cover`.
    func content(_ files: [(path: String, bytes: [UInt8])], cover: String? = nil) throws -> (SiteContent, folder: String) {
        let folder = TemporaryFolders.make("site-images")
        var content = try LocalContentSource(tenantsDirectory: Fixture.tenants).load("uji")
        for (path, bytes) in files {
            try write(bytes, to: "\(folder)/\(path)")
            content.staticFiles.append(StaticFile(path: path, sourcePath: "\(folder)/\(path)"))
        }
        if let cover { content.news[0].cover = ImageRef(src: cover, alt: "Foto") }
        return (content, folder)
    }

    func write(_ bytes: [UInt8], to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func images(media: MediaLibrary? = nil) throws -> SiteImages {
        try SiteImages(cacheDirectory: TemporaryFolders.make("variants"), settings: ImageSettings(formats: [.jpeg, .webp]), media: media)
    }

    func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func aPhotoBecomesVariantsAndItsOwnPathAStrippedCopyWhileOtherFilesStayAsTheyAre() throws {
        let svg = Array(#"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>"#.utf8)
        let (content, folder) = try content([
            ("images/foto.jpg", ImageFixtures.withExif(try ImageFixtures.photo(1200, 900))), ("images/ikon.svg", svg),
        ])
        let prepared = try images().prepare(content)
        let files = Dictionary(prepared.staticFiles.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })

        // EXIF orientation 6: the 1200 × 900 picture is a 900 × 1200 portrait.
        let photo = try #require(prepared.catalog.images["images/foto.jpg"])
        #expect(photo.width == 900 && photo.height == 1200, "\(photo)")
        #expect(Set(photo.variants.map(\.mediaType)) == ["image/jpeg", "image/webp"])
        #expect(photo.variants.allSatisfy { $0.width <= 900 && $0.path.hasPrefix("\(SiteImages.releaseFolder)/") })
        for variant in photo.variants {
            let file = try #require(files[variant.path], "\(variant.path) is not published")
            #expect(FileManager.default.fileExists(atPath: file.sourcePath))
        }

        // The photo's own path serves the widest JPEG, without the original's metadata.
        let own = try #require(files["images/foto.jpg"])
        #expect(own.sourcePath != "\(folder)/images/foto.jpg")
        let served = try bytes(own.sourcePath)
        #expect(Array(served.prefix(2)) == [0xFF, 0xD8] && !served.contains(ImageFixtures.gpsMarker))

        // Anything that is not a raster photo is published as it is, with no catalog entry.
        #expect(files["images/ikon.svg"]?.sourcePath == "\(folder)/images/ikon.svg")
        #expect(prepared.catalog.images["images/ikon.svg"] == nil)
    }

    @Test func aPhotoReplacedUnderTheSameNameIsReadAgain() throws {
        let (content, folder) = try content([("images/foto.jpg", try ImageFixtures.photo(1200, 900))])
        let images = try images()
        #expect(try images.prepare(content).catalog.images["images/foto.jpg"]?.width == 1200)
        try write(try ImageFixtures.photo(800, 600), to: "\(folder)/images/foto.jpg")
        #expect(try images.prepare(content).catalog.images["images/foto.jpg"]?.width == 800)
    }

    @Test func everyPhotoThatIsRefusedIsNamedAndNothingIsPrepared() throws {
        let (content, _) = try content([
            ("images/bukan-foto.jpg", Array("<?php system($_GET['c']); ?>".utf8)),
            ("images/bom.png", ImageFixtures.pngClaiming(width: 100_000, height: 100_000)),
            ("images/baik.jpg", try ImageFixtures.photo(640, 480)),
        ])
        let images = try images()
        do throws(ContentErrors) {
            _ = try images.prepare(content)
            Issue.record("hostile photos were accepted")
        } catch {
            #expect(error.errors.count == 2, "\(error)")
            #expect(error.description.contains("uji/static/images/bukan-foto.jpg") && error.description.contains("not JPEG, PNG"), "\(error)")
            #expect(error.description.contains("uji/static/images/bom.png"), "\(error)")
            #expect(!error.description.contains("baik.jpg"), "\(error)")
        }
    }

    @Test func onlyALibraryFilesExactAddressIsAMediaReference() {
        let id = "0b9d6f6e-1c2a-4f8e-9b1a-2c3d4e5f6a7b"
        #expect(MediaLibrary.reference("/media/\(id)/defile.jpg")! == (id, "defile.jpg"))
        // Upper-case ids are the same file.
        #expect(MediaLibrary.reference("/media/\(id.uppercased())/defile.jpg")?.id == id)
        for hostile in [
            "/media/\(id)/../../etc/passwd", "/media/\(id)/.htaccess", "/media/../\(id)/a.jpg", "/media/not-a-uuid/a.jpg", "/media/\(id)/a b.jpg",
            "/media/\(id)/A.JPG", "/media/\(id)/", "/media/\(id)/a.jpg/x", "https://evil.example/media/\(id)/a.jpg", "/images/\(id)/a.jpg",
            "/media/\(id)/" + String(repeating: "a", count: 101),
        ] {
            #expect(MediaLibrary.reference(hostile) == nil, "\(hostile)")
        }
    }

    @Test func aLibraryPhotoWithoutTheMediaServiceNamesTheSetting() throws {
        let (content, _) = try content([], cover: "/media/0b9d6f6e-1c2a-4f8e-9b1a-2c3d4e5f6a7b/defile.jpg")
        let images = try images()
        do throws(ContentErrors) {
            _ = try images.prepare(content)
            Issue.record("a library photo was accepted without a Media service")
        } catch {
            #expect(error.description.contains("KONI_MEDIA_URL"), "\(error)")
        }
    }
}
