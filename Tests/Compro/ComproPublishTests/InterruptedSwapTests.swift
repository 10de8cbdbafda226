import ComproModel
import ComproPublish
import Foundation
import KoniTestSupport
import Testing

/// A power cut on a file system that does not keep renames in order can leave `current` naming a
/// release whose folder still has its staging name. These tests make that state by hand (undoing
/// the release's rename) and check that the next publisher call puts the folder back.
@Suite struct InterruptedSwapTests {
    let out = TemporaryFolders.make("interrupted")

    func file(_ path: String, _ text: String) -> PublishedFile { PublishedFile(path: path, bytes: Array(text.utf8)) }

    func durablePublisher() -> Publisher {
        var publisher = Publisher(outputDirectory: out, keepReleases: 10, pruneGraceSeconds: 0)
        publisher.durable = true
        return publisher
    }

    /// Moves a published release back under a staging name, as the lost rename would have left it.
    func undoRename(_ publisher: Publisher, _ release: String, to staging: String) throws {
        let releases = publisher.releasesDirectory("uji")
        try FileManager.default.moveItem(atPath: "\(releases)/\(release)", toPath: "\(releases)/\(staging)")
        #expect(read("\(out)/uji/current/index.html") == nil, "current no longer resolves")
    }

    @Test func aStagedLayerThatLostItsNameIsMovedBackWhenTheDaemonOpens() throws {
        let publisher = durablePublisher()
        let base = try publisher.publish(
            tenant: "uji", files: [file("index.html", "beranda"), file("berita/a/index.html", "a0")], staticFiles: [], manifest: manifest)
        let staging = try publisher.stage(tenant: "uji", release: base.release, files: ["berita/a/index.html"])
        let layer = try publisher.publish(
            tenant: "uji", contents: ReleaseContents(files: [file("index.html", "beranda baru")], base: base.release),
            staged: staging, dropping: [], manifest: manifest
        )
        try undoRename(publisher, layer.release, to: (staging.path as NSString).lastPathComponent)
        // A prepared layer of the same daemon is never mistaken for the live one.
        let other = try publisher.stage(tenant: "uji", release: base.release, files: [])

        #expect(try publisher.recoverInterruptedSwap("uji") == layer.release)
        #expect(read("\(out)/uji/current/index.html") == "beranda baru")
        #expect(read("\(out)/uji/current/berita/a/index.html") == "a0")
        #expect(!FileManager.default.fileExists(atPath: staging.path))
        #expect(FileManager.default.fileExists(atPath: other.path))
        #expect(try publisher.recoverInterruptedSwap("uji") == nil, "nothing left to do")
    }

    @Test func aFullReleaseThatLostItsNameSurvivesPruneAndTheNextPublish() throws {
        let publisher = durablePublisher()
        _ = try publisher.publish(tenant: "uji", files: [file("index.html", "satu")], staticFiles: [], manifest: manifest)
        let second = try publisher.publish(tenant: "uji", files: [file("index.html", "dua")], staticFiles: [], manifest: manifest)
        let staging = ".staging-\(second.release)"
        try undoRename(publisher, second.release, to: staging)
        // Older than the age at which prune takes a staging folder for a crash's leftover.
        let path = "\(publisher.releasesDirectory("uji"))/\(staging)"
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: path)

        publisher.prune("uji")
        #expect(read("\(out)/uji/current/index.html") == "dua", "prune moved the live release back instead of deleting it")

        try undoRename(publisher, second.release, to: staging)
        let third = try publisher.publish(tenant: "uji", files: [file("index.html", "tiga")], staticFiles: [], manifest: manifest)
        #expect(read("\(out)/uji/current/index.html") == "tiga")
        #expect(publisher.releases("uji").suffix(2) == [second.release, third.release])
        #expect(try publisher.rollback("uji") == second.release)
        #expect(read("\(out)/uji/current/index.html") == "dua")
    }

    @Test func aMissingReleaseWithNoStagingFolderIsLeftForTheNextPublish() throws {
        let publisher = durablePublisher()
        let first = try publisher.publish(tenant: "uji", files: [file("index.html", "satu")], staticFiles: [], manifest: manifest)
        try FileManager.default.removeItem(atPath: "\(publisher.releasesDirectory("uji"))/\(first.release)")
        #expect(try publisher.recoverInterruptedSwap("uji") == nil)
        _ = try publisher.publish(tenant: "uji", files: [file("index.html", "dua")], staticFiles: [], manifest: manifest)
        #expect(read("\(out)/uji/current/index.html") == "dua")
    }
}
