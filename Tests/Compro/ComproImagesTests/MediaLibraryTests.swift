@testable import ComproImages
import ComproModel
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import KoniTestSupport
import NIOCore
import Synchronization
import Testing

/// The build's reads of the Media service's originals, against a live loopback server speaking
/// its `/internal` route: with the service key, once per file, and every refusal named.
@Suite struct MediaLibraryTests {
    static let key = String(repeating: "m", count: 40)
    static let photoID = "0b9d6f6e-1c2a-4f8e-9b1a-2c3d4e5f6a7b"
    static let missingID = "11111111-1111-4111-8111-111111111111"
    static let withoutAltID = "22222222-2222-4222-8222-222222222222"

    final class Calls: Sendable {
        let count = Atomic<Int>(0)
    }

    func withMedia(_ body: @Sendable (String, Calls) async throws -> Void) async throws {
        let calls = Calls()
        let photo = try ImageFixtures.photo(320, 240)
        let router = Router()
        router.get("/internal/v1/media/sites/{tenant}/files/{id}/original") { request, context -> Response in
            calls.count.add(1, ordering: .relaxed)
            guard request.headers[HTTPField.Name("X-Koni-Service-Key")!] == Self.key else { return Response(status: .unauthorized) }
            switch context.parameters.get("id") {
            case Self.photoID: return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: photo)))
            case Self.withoutAltID: return Response(status: .conflict)
            default: return Response(status: .notFound)
            }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            guard let port = client.port else { throw CancellationError() }
            try await body("http://127.0.0.1:\(port)/", calls)
        }
    }

    /// The original, fetched on a thread of its own: the fetch blocks (the build's image step is
    /// synchronous), and the server answering it runs on the same process's task pool.
    func original(_ library: MediaLibrary, _ id: String, into folder: String, maximumBytes: Int = 1 << 20) async -> Result<String, ContentError> {
        await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(
                    returning: Result { () throws(ContentError) in try library.original(tenant: "uji", id: id, into: folder, maximumBytes: maximumBytes) })
            }.start()
        }
    }

    func refusal(_ library: MediaLibrary, _ id: String, into folder: String) async -> String? {
        switch await original(library, id, into: folder) {
        case .success: nil
        case .failure(let error): error.description
        }
    }

    @Test func anOriginalIsFetchedOnceWithTheServiceKey() async throws {
        try await withMedia { url, calls in
            let folder = TemporaryFolders.make("originals")
            let library = MediaLibrary(baseURL: url, serviceKey: Self.key)
            let path = try await original(library, Self.photoID, into: folder).get()
            #expect(path == "\(folder)/uji/\(Self.photoID)")
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))).prefix(2) == [0xFF, 0xD8])
            // A file's bytes never change under its id: the second build asks nothing.
            _ = try await original(library, Self.photoID, into: folder).get()
            #expect(calls.count.load(ordering: .relaxed) == 1)
            // No temporary file is left beside it.
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(folder)/uji") == [Self.photoID])
        }
    }

    @Test func everyRefusalIsNamedAndNothingIsKept() async throws {
        try await withMedia { url, _ in
            let folder = TemporaryFolders.make("originals")
            let library = MediaLibrary(baseURL: url, serviceKey: Self.key)
            #expect(await refusal(library, Self.missingID, into: folder)?.contains("is not in uji's media library") == true)
            #expect(await refusal(library, Self.withoutAltID, into: folder)?.contains("has no alt text") == true)
            let forged = MediaLibrary(baseURL: url, serviceKey: "not-the-key")
            #expect(await refusal(forged, Self.photoID, into: folder)?.contains("answered 401") == true)
            #expect(await refusal(library, Self.photoID, into: folder) == nil)
            let smallFolder = TemporaryFolders.make("small")
            let small = await original(library, Self.photoID, into: smallFolder, maximumBytes: 100)
            #expect((try? small.get()) == nil, "an original larger than the limit was kept")
            #expect((try? FileManager.default.contentsOfDirectory(atPath: "\(smallFolder)/uji"))?.isEmpty ?? true, "a file was left behind")
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/uji/\(Self.missingID)"))
        }
    }

    @Test func aMediaServiceThatIsDownIsNamed() async throws {
        // The discard port, which nothing on a test machine listens on.
        let closed = "http://127.0.0.1:9"
        let reason = await refusal(MediaLibrary(baseURL: closed, serviceKey: Self.key), Self.photoID, into: TemporaryFolders.make("originals"))
        #expect(reason?.contains("the Media service cannot be reached") == true, "\(reason ?? "accepted")")
    }

    @Test func theSettingsComeFromTheEnvironment() throws {
        #expect(MediaLibrary.fromEnvironment([:]) == nil)
        let keyFile = TemporaryFolders.make("media-key") + ".key"
        try "  \(Self.key)\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
        let library = try #require(MediaLibrary.fromEnvironment(["KONI_MEDIA_URL": "http://media.internal:8008//", "KONI_MEDIA_SERVICE_KEY_FILE": keyFile]))
        #expect(library.baseURL == "http://media.internal:8008" && library.serviceKey == Self.key)
    }
}
