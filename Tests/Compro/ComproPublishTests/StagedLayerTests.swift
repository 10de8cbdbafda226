import ComproModel
import ComproPublish
import Foundation
import KoniTestSupport
import Testing

/// A layer published from a staging folder prepared ahead must look exactly like one published
/// the ordinary way, and must never change a file of an earlier release (the staged files are
/// hard links to them).
@Suite struct StagedLayerTests {
    let out = TemporaryFolders.make("staged")

    func file(_ path: String, _ text: String) -> PublishedFile { PublishedFile(path: path, bytes: Array(text.utf8)) }

    /// Durable: every folder that changed is synced, and a folder the drop removed is not looked for.
    @Test(arguments: [false, true]) func stagedLayerReplacesAndDropsWithoutTouchingEarlierReleases(durable: Bool) throws {
        var publisher = Publisher(outputDirectory: out, keepReleases: 10, pruneGraceSeconds: 0)
        publisher.durable = durable
        let base = try publisher.publish(
            tenant: "uji", files: [file("index.html", "beranda"), file("berita/a/index.html", "a0"), file("berita/b/index.html", "b0")],
            staticFiles: [], manifest: manifest
        )
        // A layer over the base with a and b changed.
        let layer = try publisher.publish(
            tenant: "uji", contents: ReleaseContents(files: [file("berita/a/index.html", "a1"), file("berita/b/index.html", "b1")], base: base.release),
            manifest: manifest
        )
        let releases = publisher.releasesDirectory("uji")
        let staging = try publisher.stage(tenant: "uji", release: layer.release, files: ["berita/a/index.html", "berita/b/index.html"])
        #expect(read("\(staging.path)/berita/a/index.html") == "a1")
        #expect(FileManager.default.fileExists(atPath: "\(staging.path)/berita/b/index.html.gz"))

        // The next layer rewrites a, drops b (deleted from the site) and adds c.
        let next = try publisher.publish(
            tenant: "uji",
            contents: ReleaseContents(
                files: [file("berita/a/index.html", "a2"), file("berita/c/index.html", "c2")], gone: ["berita/b/index.html"], base: base.release),
            staged: staging, dropping: ["berita/b/index.html"], manifest: manifest
        )
        let live = "\(out)/uji/current"
        #expect(publisher.currentRelease("uji") == next.release)
        #expect(read("\(live)/berita/a/index.html") == "a2")
        #expect(try Gunzip.decompress(Array(try #require(FileManager.default.contents(atPath: "\(live)/berita/a/index.html.gz")))) == Array("a2".utf8))
        #expect(read("\(live)/berita/c/index.html") == "c2")
        #expect(!FileManager.default.fileExists(atPath: "\(live)/berita/b"), "a dropped page leaves no folder in the layer")
        #expect(FileManager.default.fileExists(atPath: "\(live)/.koni/gone/berita/b/index.html"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(live)/.koni/base") == "../../\(base.release)")
        #expect(publisher.manifest("uji")?.outputs.keys.sorted() == ["berita/a/index.html", "berita/c/index.html"])
        #expect(!FileManager.default.fileExists(atPath: staging.path))

        // The earlier releases kept their own bytes, .gz siblings included.
        #expect(read("\(releases)/\(layer.release)/berita/a/index.html") == "a1")
        #expect(
            try Gunzip.decompress(Array(try #require(FileManager.default.contents(atPath: "\(releases)/\(layer.release)/berita/a/index.html.gz"))))
                == Array("a1".utf8))
        #expect(read("\(releases)/\(layer.release)/berita/b/index.html") == "b1")
        #expect(read("\(releases)/\(base.release)/berita/a/index.html") == "a0")

        // Rollback still lands on the earlier layer as it was.
        #expect(try publisher.rollback("uji") == layer.release)
        #expect(read("\(live)/berita/a/index.html") == "a1")
    }

    @Test func pruneLeavesAPreparedLayerHoweverOldAndTheDaemonRemovesLeftovers() throws {
        let publisher = Publisher(outputDirectory: out, keepReleases: 1, pruneGraceSeconds: 0)
        let base = try publisher.publish(tenant: "uji", files: [file("index.html", "beranda")], staticFiles: [], manifest: manifest)
        let staging = try publisher.stage(tenant: "uji", release: base.release, files: ["index.html"])
        // A quiet tenant keeps its folder for hours; prune removes other staging folders after 10 minutes.
        var old = [timeval(tv_sec: time(nil) - 3600, tv_usec: 0), timeval(tv_sec: time(nil) - 3600, tv_usec: 0)]
        #expect(utimes(staging.path, &old) == 0)
        let leftover = "\(publisher.releasesDirectory("uji"))/.staging-20260101T000000.000000Z"
        try FileManager.default.createDirectory(atPath: leftover, withIntermediateDirectories: false)
        #expect(utimes(leftover, &old) == 0)
        publisher.prune("uji")
        #expect(FileManager.default.fileExists(atPath: staging.path))
        #expect(!FileManager.default.fileExists(atPath: leftover))
        publisher.removeStagedLayers("uji")
        #expect(!FileManager.default.fileExists(atPath: staging.path))
        #expect(read("\(out)/uji/current/index.html") == "beranda")
    }

    @Test func aStagedPublishThatFailsLeavesTheLiveSiteAndRemovesTheFolder() throws {
        let publisher = Publisher(outputDirectory: out, keepReleases: 10, pruneGraceSeconds: 0)
        let base = try publisher.publish(tenant: "uji", files: [file("index.html", "beranda")], staticFiles: [], manifest: manifest)
        let layer = try publisher.publish(
            tenant: "uji", contents: ReleaseContents(files: [file("index.html", "baru")], base: base.release), manifest: manifest
        )
        let staging = try publisher.stage(tenant: "uji", release: layer.release, files: ["index.html"])
        #expect(throws: PublishError.self) {
            try publisher.publish(
                tenant: "uji", contents: ReleaseContents(files: [file("../luar.html", "x")], base: base.release), staged: staging,
                dropping: [], manifest: manifest
            )
        }
        #expect(publisher.currentRelease("uji") == layer.release)
        #expect(read("\(out)/uji/current/index.html") == "baru")
        #expect(!FileManager.default.fileExists(atPath: staging.path))
        #expect(!FileManager.default.fileExists(atPath: "\(out)/luar.html"))
    }
}
