import ComproBuild
import ComproImages
import ComproModel
import Foundation
import Hummingbird
import HummingbirdTesting
import KoniServiceTestSupport
import KoniTestSupport
import Testing

/// A site build that takes photos from the Media service: `/media/<id>/<name>` in content.
@Suite struct MediaBuildTests {
    /// Runs a build (which blocks its thread on libcurl) on a Dispatch thread: on Swift's small
    /// cooperative pool it could hold the thread the Media service needs to answer it.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    @Test func aBuildPublishesVariantsOfALibraryPhotoAndNeverAnotherBranchsFile() async throws {
        let serviceKey = String(repeating: "m", count: 48)
        var media = try await MediaTestApp()
        media.configuration.serviceKeys = [serviceKey]
        try await media.application().test(.live) { client in
            let port = try #require(client.port)
            func upload(_ branch: String, alt: String = "Defile") async throws -> String {
                var form = MultipartForm()
                if !alt.isEmpty { form.field("alt", alt) }
                form.file(ImageFixtures.withExif(try ImageFixtures.photo(1200, 900)))
                let answer = try await client.upload(form, branch: branch, token: try MediaTokens.adminCabang(of: BranchID.derived(slug: branch)))
                return try #require(answer.json?["id"]?.text, "\(String(decoding: answer.bytes, as: UTF8.self))")
            }
            let own = try await upload("uji")
            let foreign = try await upload("jatim")
            let undescribed = try await upload("uji", alt: "")

            let tenants = TemporaryFolders.make("tenants")
            try FileManager.default.removeItem(atPath: tenants)
            try FileManager.default.copyItem(atPath: Repository.fixtureTenants, toPath: tenants)
            let news = "\(tenants)/uji/content/news/berita-01.md"
            let original = try String(contentsOfFile: news, encoding: .utf8)
            func cover(_ id: String) throws {
                try original.replacingOccurrences(of: "author: Tim Humas\n", with: "author: Tim Humas\ncover: /media/\(id)/defile.jpg\ncover_alt: Defile\n")
                    .write(toFile: news, atomically: true, encoding: .utf8)
            }
            var environment = BuildEnvironment(
                tenantsDirectory: tenants, templatesDirectory: Repository.root + "/Templates", themesDirectory: Repository.root + "/Themes",
                outputDirectory: TemporaryFolders.make("out")
            )
            environment.imageCacheDirectory = TemporaryFolders.make("variants")
            environment.mediaLibrary = MediaLibrary(baseURL: "http://127.0.0.1:\(port)", serviceKey: serviceKey)
            let builder = SiteBuilder(environment: environment)

            try cover(own)
            let good = try await Self.blocking { try builder.build(slug: "uji") }
            let current = "\(environment.outputDirectory)/uji/current"
            let page = try String(contentsOfFile: "\(current)/berita/berita-01/index.html", encoding: .utf8)
            #expect(
                page.contains("<source type=\"image/webp\" srcset=\"/_img/") && page.contains("width=\"900\" height=\"1200\""),
                "upright variants of the library photo")
            let published = Array(try Data(contentsOf: URL(fileURLWithPath: "\(current)/media/\(own)/defile.jpg")))
            #expect(!published.contains(ImageFixtures.gpsMarker), "the photo's own address serves a stripped copy")

            // Another branch's file: the build fails naming it, the live release stays.
            try cover(foreign)
            do {
                _ = try await Self.blocking { try builder.build(slug: "uji") }
                Issue.record("a build used another branch's photo")
            } catch {
                #expect("\(error)".contains("/media/\(foreign): the file is not in uji's media library"), "\(error)")
            }
            #expect(builder.publisher.currentRelease("uji") == good.release)

            // A library photo without alt text is not shown on a page until it has one.
            try cover(undescribed)
            do {
                _ = try await Self.blocking { try builder.build(slug: "uji") }
                Issue.record("a build showed a photo without alt text")
            } catch {
                #expect("\(error)".contains("/media/\(undescribed): the file has no alt text in uji's media library"), "\(error)")
            }
            let token = try MediaTokens.adminCabang(of: BranchID.derived(slug: "uji"))
            let described = try await client.call(
                .patch, "/api/v1/media/uji/files/\(undescribed)", token: token, body: Array(#"{"alt":"Defile","version":1}"#.utf8),
                contentType: "application/json"
            )
            #expect(described.status == .ok)
            _ = try await Self.blocking { try builder.build(slug: "uji") }

            // Without the key the internal route answers 401 and the build says so.
            var keyless = environment
            keyless.mediaLibrary = MediaLibrary(baseURL: "http://127.0.0.1:\(port)", serviceKey: "wrong")
            keyless.imageCacheDirectory = TemporaryFolders.make("variants")
            try cover(own)
            let keylessBuilder = SiteBuilder(environment: keyless)
            await #expect(throws: (any Error).self) { try await Self.blocking { try keylessBuilder.build(slug: "uji") } }
        }
    }
}
