import CMSService
import ComproModel
import Foundation
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniStorage
import KoniTestSupport
import Logging
import MediaService
import Testing

/// Files in a real S3 API (moto, signatures checked) and in a folder; a delete asks the real CMS
/// whether content still uses the file.
@Suite struct MediaStorageTests {
    @Test func s3StorageStoresReadsAndDeletesWithSignedRequests() async throws {
        let settings = try MotoS3.settings.get()
        let storage = try S3Storage(settings: settings)
        let file = TemporaryFolders.make("s3") + "/foto.jpg"
        let photo = try ImageFixtures.photo(320, 240)
        try Data(photo).write(to: URL(fileURLWithPath: file))
        let key = "\(UUID().uuidString.lowercased())/original"
        try await storage.put(key: key, file: file, contentType: "image/jpeg")
        #expect(try await storage.get(key: key, maximumBytes: 1 << 20) == photo)
        await #expect(throws: StorageError.self) { try await storage.get(key: key, maximumBytes: 100) }
        // A wrong secret is refused by the store: the signature is checked, not just present.
        var forged = settings
        forged.secretAccessKey = "not-the-secret"
        do {
            _ = try await S3Storage(settings: forged).get(key: key, maximumBytes: 1 << 20)
            Issue.record("a request signed with the wrong secret was answered")
        } catch {
            #expect(error.reason.contains("403") && error.reason.contains("SignatureDoesNotMatch"), "\(error)")
        }
        try await storage.delete(key: key)
        do {
            _ = try await storage.get(key: key, maximumBytes: 1 << 20)
            Issue.record("the deleted object is still there")
        } catch {
            #expect(error.kind == .notFound, "\(error)")
        }
        try await storage.delete(key: key)  // deleting what is gone is not an error
        // A body over 1 MiB, which libcurl sends after "Expect: 100-continue".
        var random = SeededRandom(seed: 7)
        let blob = (0..<3_000_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        try Data(blob).write(to: URL(fileURLWithPath: file))
        try await storage.put(key: "\(key)-big", file: file, contentType: "application/octet-stream")
        #expect(try await storage.get(key: "\(key)-big", maximumBytes: 4 << 20) == blob)
        await #expect(throws: StorageError.self) { try await storage.put(key: "../escape", file: file, contentType: "image/jpeg") }
    }

    @Test func fileSystemStorageRefusesKeysOutsideItsFolder() async throws {
        let root = TemporaryFolders.make("fs-storage")
        let storage = try FileSystemStorage(root: root)
        let file = root + "-source"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: file))
        for key in ["../x", "/etc/passwd", "a//b", "a/./b", "", "a/b\u{0}c", String(repeating: "a", count: 600)] {
            await #expect(throws: StorageError.self, "\(key)") { try await storage.put(key: key, file: file, contentType: "image/jpeg") }
        }
        try await storage.put(key: "t/f/original", file: file, contentType: "image/jpeg")
        #expect(try await storage.get(key: "t/f/original", maximumBytes: 10) == [1, 2, 3])
    }

    @Test func uploadsGoToS3AndADeleteWaitsUntilTheCMSNoLongerUsesTheFile() async throws {
        // The real CMS on its own port, with an internal key for the Media service.
        let serviceKey = String(repeating: "k", count: 48)
        var cmsConfiguration = CMSConfiguration(
            databaseURL: try await TestServers.makeDatabase(prefix: "cms_media"), jwtPublicKeyPEM: TestKeys.publicKeyPEM, amqpURL: try TestServers.amqpURL
        )
        cmsConfiguration.port = 0
        cmsConfiguration.themesDirectory = Repository.root + "/Themes"
        cmsConfiguration.serviceKeys = [serviceKey]
        var logger = Logger(label: "cms") { _ in JSONLogHandler(label: "cms", level: .warning) }
        logger.logLevel = .warning
        let cms = try await CMSServer.makeApplication(configuration: cmsConfiguration, publisher: RecordingPublisher(), logger: logger)
        try await cms.test(.live) { cmsClient in
            let port = try #require(cmsClient.port)
            let admin = try TestKeys.token(roles: ["admin"])
            let site = Array(#"{"slug":"jatim","settings":{"name":"KONI Jatim","timezone":"Asia/Jakarta"},"theme":{"preset":"merah-putih"}}"#.utf8)
            let made = try await cmsClient.call(.post, "/api/v1/cms/admin/sites", token: admin, body: site, contentType: "application/json")
            #expect(made.status == .created, "\(String(decoding: made.bytes, as: UTF8.self))")

            var media = try await MediaTestApp(storage: .s3(try MotoS3.settings.get()))
            media.configuration.cms = ServiceClient.Settings(baseURL: "http://127.0.0.1:\(port)", serviceKey: serviceKey)
            try await media.application().test(.router) { client in
                let token = try MediaTokens.adminCabang(of: MediaTokens.jatim)
                var form = MultipartForm()
                form.field("alt", "Juara umum")
                form.file(try ImageFixtures.photo(800, 600))
                let created = try await client.upload(form, token: token)
                #expect(created.status == .created, "\(String(decoding: created.bytes, as: UTF8.self))")
                let id = try #require(created.json?["id"]?.text)
                #expect(try await client.call(.get, "/api/v1/media/jatim/files/\(id)/preview", token: token).status == .ok, "read back from S3")

                // A news item whose cover is the file.
                let news = Array(
                    #"{"slug":"juara","title":"Juara umum","date":"2026-11-24","cover":{"src":"/media/\#(id)/juara.jpg","alt":"Juara umum"},"body":"Isi."}"#
                        .utf8)
                let posted = try await cmsClient.call(.post, "/api/v1/cms/admin/sites/jatim/news", token: admin, body: news, contentType: "application/json")
                #expect(posted.status == .created, "\(String(decoding: posted.bytes, as: UTF8.self))")
                let refused = try await client.call(.delete, "/api/v1/media/jatim/files/\(id)", token: token)
                #expect(
                    refused.status == .conflict && refused.json?["error"]?["message"]?.text?.contains("news/juara") == true,
                    "\(String(decoding: refused.bytes, as: UTF8.self))")
                #expect(try await client.call(.get, "/api/v1/media/jatim/files/\(id)", token: token).status == .ok, "kept")

                // The cover removed (a new version without it), the delete goes through.
                let newsID = try #require(posted.json?["id"]?.text)
                let version = try #require(posted.json?["version"]?.int)
                let without = Array(#"{"slug":"juara","title":"Juara umum","date":"2026-11-24","body":"Isi.","version":\#(version)}"#.utf8)
                let put = try await cmsClient.call(
                    .put, "/api/v1/cms/admin/sites/jatim/news/\(newsID)", token: admin, body: without, contentType: "application/json")
                #expect(put.status == .ok, "\(String(decoding: put.bytes, as: UTF8.self))")
                #expect(try await client.call(.delete, "/api/v1/media/jatim/files/\(id)", token: token).status == .noContent)
                #expect(try await client.call(.get, "/api/v1/media/jatim/files/\(id)", token: token).status == .notFound)
                #expect(try await client.call(.get, "/api/v1/media/jatim/files/\(id)/preview", token: token).status == .notFound)
            }
            // Without a key the CMS's internal route is closed.
            #expect(try await cmsClient.call(.get, "/internal/v1/cms/sites/jatim/references?file=\(UUID().uuidString)", token: nil).status == .unauthorized)
        }
    }

    @Test func aDeleteKeepsTheFileWhenTheCMSCannotAnswer() async throws {
        var media = try await MediaTestApp()
        media.configuration.cms = ServiceClient.Settings(baseURL: "http://127.0.0.1:9", serviceKey: String(repeating: "k", count: 48))
        try await media.application().test(.router) { client in
            let token = try MediaTokens.adminCabang(of: MediaTokens.jatim)
            var form = MultipartForm()
            form.file(try ImageFixtures.photo(300, 200))
            let id = try #require(try await client.upload(form, token: token).json?["id"]?.text)
            let answer = try await client.call(.delete, "/api/v1/media/jatim/files/\(id)", token: token)
            #expect(answer.status == .serviceUnavailable && answer.json?["error"]?["code"]?.text == "cms_unavailable")
            #expect(try await client.call(.get, "/api/v1/media/jatim/files/\(id)", token: token).status == .ok)
        }
        #expect(media.storedObjects.count == 2)
    }
}
