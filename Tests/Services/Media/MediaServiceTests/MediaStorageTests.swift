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

/// Uploads in a real S3 API (moto, signatures checked); a delete asks the real CMS whether content
/// still uses the file. The stores themselves are tested in KoniStorageTests.
@Suite struct MediaStorageTests {
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
