import Foundation
import KoniServiceTestSupport
import KoniStorage
import KoniTestSupport
import Testing

/// The two stores of uploaded files: a real S3 API (moto, signatures checked) and a folder.
@Suite struct StorageTests {
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
}
