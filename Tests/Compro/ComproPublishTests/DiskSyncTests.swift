import ComproModel
import Foundation
import KoniTestSupport
import Testing

@testable import ComproPublish

/// What a durable publish syncs, and that the syncs are issued together.
@Suite struct DiskSyncTests {
    @Test func aLayerSyncsEveryNewFileAndEveryFolderThatGainedAnEntry() {
        var contents = ReleaseContents(
            files: [PublishedFile(path: "berita/a/index.html", bytes: []), PublishedFile(path: "assets/logo.png", bytes: [])],
            links: [ReleaseContents.Link(path: "tag/voli/page/2/index.html", fromRelease: "r1")],
            gone: ["berita/b/index.html"], base: "r0"
        )
        contents.staticFiles = [StaticFile(path: "docs/laporan.pdf", sourcePath: "/dev/null")]
        let entries = DiskSync.entries(of: contents)
        #expect(
            entries.files.sorted() == [
                ".koni/gone/berita/b/index.html", ".koni/manifest.json", "assets/logo.png", "berita/a/index.html",
                "berita/a/index.html.gz", "docs/laporan.pdf",
            ])
        #expect(
            entries.folders.sorted() == [
                "", ".koni", ".koni/gone", ".koni/gone/berita", ".koni/gone/berita/b", "assets", "berita", "berita/a", "docs",
                "tag", "tag/voli", "tag/voli/page", "tag/voli/page/2",
            ])
    }

    @Test func syncingFailsWithThePathWhenAFileIsMissing() throws {
        let root = TemporaryFolders.make("disk-sync")
        try FileManager.default.createDirectory(atPath: "\(root)/berita", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        FileManager.default.createFile(atPath: "\(root)/berita/a.html", contents: Data("a".utf8))
        try DiskSync.sync(root: root, files: ["berita/a.html"], folders: ["", "berita"])
        #expect(throws: PublishError.self) { try DiskSync.sync(root: root, files: ["berita/a.html", "berita/b.html"], folders: [""]) }
        do {
            try DiskSync.sync(root: root, files: ["berita/b.html"], folders: [""])
        } catch {
            #expect(error.path == "\(root)/berita/b.html")
        }
    }

    /// Eight calls that each wait until all eight are running at once: they finish only when the
    /// threads really run them together (Dispatch on two cores would run two at a time, and each
    /// call gives up after a few seconds).
    @Test func blockingCallsRunTogetherAndKeepTheirOrder() {
        let meeting = Meeting(expected: 8)
        let met = BlockingCallThreads.shared.map(Array(0..<8)) { index in meeting.arriveAndWait() ? index : -1 }
        #expect(met == Array(0..<8))
        #expect(BlockingCallThreads.shared.map(Array(0..<1000)) { $0 * 2 } == Array(0..<1000).map { $0 * 2 })
    }
}

/// Callers wait for one another until `expected` have arrived, or for five seconds.
private final class Meeting: @unchecked Sendable {
    private let condition = NSCondition()
    private let expected: Int
    // Guarded by `condition`.
    private var arrived = 0

    init(expected: Int) { self.expected = expected }

    func arriveAndWait() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        condition.broadcast()
        let deadline = Date().addingTimeInterval(5)
        while arrived < expected {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }
}
