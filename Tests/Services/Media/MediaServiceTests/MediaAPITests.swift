import ComproModel
import Foundation
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniServiceTestSupport
import KoniTestSupport
import Testing

/// The Media API against real PostgreSQL: uploads checked by content and limits, a branch's
/// library closed to other branches, metadata changed with the version seen.
@Suite struct MediaAPITests {
    /// A 1200 × 900 phone photo whose EXIF says "turned" (orientation 6) and carries GPS.
    static func phonePhoto() throws -> [UInt8] { ImageFixtures.withExif(try ImageFixtures.photo(1200, 900)) }

    @Test func anUploadIsStoredWithItsUprightSizeAndAStrippedPreview() async throws {
        let test = try await MediaTestApp()
        let publisher = RecordingPublisher()
        let photo = try Self.phonePhoto()
        try await test.application(publisher: publisher).test(.router) { client in
            var form = MultipartForm()
            form.field("alt", "Defile kontingen Jawa Timur")
            form.file(photo, filename: "../../etc/IMG 2041.JPG")
            let token = try MediaTokens.adminCabang(of: MediaTokens.jatim)
            let created = try await client.upload(form, token: token)
            #expect(created.status == .created, "\(String(decoding: created.bytes, as: UTF8.self))")
            let file = try #require(created.json)
            #expect(file["width"]?.int == 900 && file["height"]?.int == 1200, "upright: the EXIF orientation turns it")
            #expect(file["filename"]?.text == "img-2041.jpg", "no path, safe characters, the real extension")
            #expect(file["media_type"]?.text == "image/jpeg" && file["bytes"]?.int == photo.count)
            #expect(file["usable_on_public_pages"] == .bool(true))
            let id = try #require(file["id"]?.text)
            #expect(created.headers[.location] == "/api/v1/media/jatim/files/\(id)")

            let listed = try await client.call(.get, "/api/v1/media/jatim/files", token: token)
            #expect(listed.json?["items"].flatMap { if case .array(let items) = $0 { items.count } else { nil } } == 1)
            let one = try await client.call(.get, "/api/v1/media/jatim/files/\(id)", token: token)
            #expect(one.status == .ok && one.headers[.eTag] == "\"1\"")

            let preview = try await client.call(.get, "/api/v1/media/jatim/files/\(id)/preview", token: token)
            #expect(preview.status == .ok && preview.headers[.contentType] == "image/webp")
            #expect(!preview.bytes.contains(ImageFixtures.gpsMarker), "the preview carries none of the photo's EXIF")
            #expect(try ImageFixtures.vipsHeader(preview.bytes, field: "width") == "480")
        }
        #expect(test.storedObjects.count == 2, "\(test.storedObjects)")
        let events = try await test.query("SELECT type || ' ' || (payload::jsonb -> 'data' ->> 'action') FROM outbox", as: String.self)
        #expect(events == ["media.updated created"])
    }

    @Test func anotherBranchsAdminCannotUploadReadOrChange() async throws {
        let test = try await MediaTestApp()
        try await test.application().test(.router) { client in
            var form = MultipartForm()
            form.file(try ImageFixtures.photo(400, 300))
            let jabar = try MediaTokens.adminCabang(of: MediaTokens.jabar)
            let refused = try await client.upload(form, token: jabar)
            #expect(refused.status == .forbidden)
            #expect(refused.json?["error"]?["message"]?.text?.contains("own branch") == true, "\(String(decoding: refused.bytes, as: UTF8.self))")
            #expect(try await client.upload(form, token: nil).status == .unauthorized)

            let jatim = try MediaTokens.adminCabang(of: MediaTokens.jatim)
            let created = try await client.upload(form, token: jatim)
            let id = try #require(created.json?["id"]?.text)
            #expect(try await client.call(.get, "/api/v1/media/jatim/files/\(id)", token: jabar).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/media/jatim/files", token: jabar).status == .forbidden)
            let patch = Array(#"{"alt":"dirusak","version":1}"#.utf8)
            #expect(
                try await client.call(.patch, "/api/v1/media/jatim/files/\(id)", token: jabar, body: patch, contentType: "application/json").status
                    == .forbidden)
            // Asking for jatim's file under jabar's name finds nothing: every query names its branch.
            #expect(try await client.call(.get, "/api/v1/media/jabar/files/\(id)", token: jabar).status == .notFound)
            // A superadmin may.
            #expect(try await client.call(.get, "/api/v1/media/jatim/files/\(id)", token: try TestKeys.token(roles: ["superadmin"])).status == .ok)
        }
        #expect(test.storedObjects.count == 2, "only jatim's own upload: \(test.storedObjects)")
    }

    @Test(arguments: [
        ("html named .jpg", Array("<html><script>alert(1)</script></html>".utf8), HTTPResponse.Status.unprocessableContent, "invalid_image"),
        ("svg", Array("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".utf8), .unprocessableContent, "invalid_image"),
        ("bomb", ImageFixtures.pngClaiming(width: 100_000, height: 100_000), .unprocessableContent, "invalid_image"),
        ("strip", ImageFixtures.pngClaiming(width: 1, height: 100_000), .unprocessableContent, "invalid_image"),
        ("animated gif", ImageFixtures.animatedGIF, .unprocessableContent, "invalid_image"),
        ("empty", [], .unprocessableContent, "empty_file"),
    ])
    func hostileFilesAreRefusedAndNothingIsKept(name: String, bytes: [UInt8], status: HTTPResponse.Status, code: String) async throws {
        let test = try await MediaTestApp()
        try await test.application().test(.router) { client in
            var form = MultipartForm()
            form.file(bytes, filename: "foto.jpg")
            let answer = try await client.upload(form, token: try MediaTokens.adminCabang(of: MediaTokens.jatim))
            #expect(answer.status == status, "\(name): \(String(decoding: answer.bytes, as: UTF8.self))")
            #expect(answer.json?["error"]?["code"]?.text == code, "\(name)")
        }
        #expect(test.storedObjects.isEmpty, "\(name)")
        #expect(try await test.query("SELECT count(*)::integer FROM media_files", as: Int.self) == [0])
    }

    @Test func truncatedOversizedAndMalformedUploadsAreRefused() async throws {
        let test = try await MediaTestApp(maximumUploadBytes: 200_000)
        try await test.application().test(.router) { client in
            let token = try MediaTokens.adminCabang(of: MediaTokens.jatim)
            let photo = try ImageFixtures.photo(1600, 1200)
            #expect(photo.count > 200_000)
            var big = MultipartForm()
            big.file(photo)
            #expect(try await client.upload(big, token: token).status == .contentTooLarge)
            var cut = MultipartForm()
            let small = try ImageFixtures.photo(300, 200)
            cut.file(Array(small.prefix(small.count / 2)))
            #expect(try await client.upload(cut, token: token).json?["error"]?["code"]?.text == "invalid_image")
            // Not multipart, no boundary, a form without a file, a folder of another branch.
            #expect(
                try await client.call(.post, "/api/v1/media/jatim/files", token: token, body: small, contentType: "image/jpeg").status == .unsupportedMediaType)
            #expect(
                try await client.call(.post, "/api/v1/media/jatim/files", token: token, body: small, contentType: "multipart/form-data").status
                    == .unsupportedMediaType)
            var noFile = MultipartForm()
            noFile.field("alt", "tanpa berkas")
            #expect(try await client.upload(noFile, token: token).json?["error"]?["code"]?.text == "missing_file")
            var foreign = MultipartForm()
            foreign.field("folder_id", UUID().uuidString)
            foreign.file(small)
            #expect(try await client.upload(foreign, token: token).json?["error"]?["code"]?.text == "folder_not_found")
            var long = MultipartForm()
            long.field("alt", String(repeating: "a", count: 5000))
            long.file(small)
            #expect(try await client.upload(long, token: token).status == .contentTooLarge)
        }
        #expect(test.storedObjects.isEmpty, "\(test.storedObjects)")
    }

    @Test func metadataChangesNeedTheVersionSeenAndFoldersKeepTheirFiles() async throws {
        let test = try await MediaTestApp()
        try await test.application().test(.router) { client in
            let token = try MediaTokens.adminCabang(of: MediaTokens.jatim)
            let folder = try await client.call(
                .post, "/api/v1/media/jatim/folders", token: token, body: Array(#"{"name":"PORPROV 2026"}"#.utf8), contentType: "application/json")
            #expect(folder.status == .created)
            let folderID = try #require(folder.json?["id"]?.text)
            #expect(
                try await client.call(
                    .post, "/api/v1/media/jatim/folders", token: token, body: Array(#"{"name":"PORPROV 2026"}"#.utf8), contentType: "application/json"
                ).status == .conflict)
            var form = MultipartForm()
            form.field("folder_id", folderID)
            form.file(try ImageFixtures.photo(640, 480))
            let created = try await client.upload(form, token: token)
            let id = try #require(created.json?["id"]?.text)
            #expect(created.json?["usable_on_public_pages"] == .bool(false), "no alt text yet")

            let change = Array(#"{"alt":"Atlet angkat besi","caption":"Final 81 kg"}"#.utf8)
            let unversioned = try await client.call(.patch, "/api/v1/media/jatim/files/\(id)", token: token, body: change, contentType: "application/json")
            #expect(unversioned.status == .preconditionRequired)
            let updated = try await client.call(
                .patch, "/api/v1/media/jatim/files/\(id)", token: token, body: change, contentType: "application/json", headers: [.ifMatch: "\"1\""])
            #expect(updated.status == .ok && updated.json?["version"]?.int == 2 && updated.json?["usable_on_public_pages"] == .bool(true))
            let stale = try await client.call(
                .patch, "/api/v1/media/jatim/files/\(id)", token: token, body: Array(#"{"alt":"lama"}"#.utf8), contentType: "application/json",
                headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            let unknown = try await client.call(
                .patch, "/api/v1/media/jatim/files/\(id)", token: token, body: Array(#"{"storage_key":"../x","version":2}"#.utf8),
                contentType: "application/json")
            #expect(unknown.status == .unprocessableContent || unknown.status == .badRequest, "\(unknown.status)")
            #expect(try await client.call(.get, "/api/v1/media/jatim/files/\(id)", token: token).json?["alt"]?.text == "Atlet angkat besi")

            #expect(try await client.call(.delete, "/api/v1/media/jatim/folders/\(folderID)", token: token).status == .conflict, "the folder holds a file")
            let list = try await client.call(.get, "/api/v1/media/jatim/folders", token: token)
            #expect(list.json?["items"].flatMap { if case .array(let items) = $0 { items.first?["files"]?.int } else { nil } } == 1)
        }
    }
}
