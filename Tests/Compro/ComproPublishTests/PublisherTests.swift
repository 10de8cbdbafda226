import ComproModel
import ComproPublish
import Foundation
import KoniTestSupport
import Testing

@Suite struct GzipTests {
    @Test func roundTripsAndIsReproducible() throws {
        let text = Array(String(repeating: "Berita KONI Jawa Timur. ", count: 500).utf8)
        let compressed = try Gzip.compress(text)
        #expect(compressed.count < text.count / 10)
        #expect(compressed.prefix(2) == [0x1f, 0x8b])
        #expect(try Gunzip.decompress(compressed) == text)
        #expect(try Gzip.compress(text) == compressed, "same input, same bytes")
        #expect(try Gunzip.decompress(try Gzip.compress([])) == [])
    }

    @Test func onlyTextIsPrecompressed() {
        #expect(Gzip.isCompressible("berita/index.html"))
        #expect(Gzip.isCompressible("assets/site.abc.css"))
        #expect(Gzip.isCompressible("feed.xml"))
        #expect(!Gzip.isCompressible("images/foto.jpg"))
        #expect(!Gzip.isCompressible("README"))
    }
}

@Suite struct PublisherTests {
    func temporary() -> String {
        let path = TemporaryFolders.make("publish")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func publishesAReleaseAndSwapsCurrent() throws {
        let out = temporary()
        let publisher = Publisher(outputDirectory: out, keepReleases: 2, pruneGraceSeconds: 0)
        let first = try publisher.publish(
            tenant: "uji", files: [PublishedFile(path: "index.html", bytes: Array("satu".utf8))], staticFiles: [], manifest: manifest)
        #expect(read("\(out)/uji/current/index.html") == "satu")
        #expect(FileManager.default.fileExists(atPath: "\(out)/uji/current/index.html.gz"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(out)/uji/current") == "releases/\(first.release)")
        #expect(publisher.manifest("uji")?.release == first.release)
        #expect(publisher.manifest("uji")?.outputs["index.html"]?.sha256 == Digest.sha256Hex(Array("satu".utf8)))

        let second = try publisher.publish(
            tenant: "uji", files: [PublishedFile(path: "index.html", bytes: Array("dua".utf8))], staticFiles: [], manifest: manifest)
        #expect(read("\(out)/uji/current/index.html") == "dua")
        #expect(second.release > first.release)

        _ = try publisher.publish(tenant: "uji", files: [PublishedFile(path: "index.html", bytes: Array("tiga".utf8))], staticFiles: [], manifest: manifest)
        #expect(publisher.releases("uji").count == 2, "older releases are pruned")
        #expect(!publisher.releases("uji").contains(first.release))

        let back = try publisher.rollback("uji")
        #expect(back == second.release)
        #expect(read("\(out)/uji/current/index.html") == "dua")
    }

    @Test(arguments: ["../escape.html", "/etc/passwd", "a/../../b", "a//b", "./x"])
    func refusesUnsafePathsAndKeepsCurrent(_ path: String) throws {
        let out = temporary()
        let publisher = Publisher(outputDirectory: out)
        _ = try publisher.publish(tenant: "uji", files: [PublishedFile(path: "index.html", bytes: Array("baik".utf8))], staticFiles: [], manifest: manifest)
        let live = publisher.currentRelease("uji")
        #expect(throws: PublishError.self) {
            try publisher.publish(tenant: "uji", files: [PublishedFile(path: path, bytes: [1])], staticFiles: [], manifest: manifest)
        }
        #expect(publisher.currentRelease("uji") == live)
        #expect(read("\(out)/uji/current/index.html") == "baik")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/escape.html"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: "\(out)/uji/releases").filter { $0.hasPrefix(".staging") }
        #expect(leftovers.isEmpty)
    }

    @Test func staticFileMayNotReplaceAGeneratedPage() throws {
        let out = temporary()
        let source = "\(temporary())/index.html"
        FileManager.default.createFile(atPath: source, contents: Data("palsu".utf8))
        let publisher = Publisher(outputDirectory: out)
        #expect(throws: PublishError.self) {
            try publisher.publish(
                tenant: "uji", files: [PublishedFile(path: "index.html", bytes: Array("asli".utf8))],
                staticFiles: [StaticFile(path: "index.html", sourcePath: source)], manifest: manifest
            )
        }
        #expect(publisher.currentRelease("uji") == nil)
    }

    @Test func staticFilesAreCopied() throws {
        let out = temporary()
        let source = "\(temporary())/logo.svg"
        FileManager.default.createFile(atPath: source, contents: Data("<svg/>".utf8))
        let publisher = Publisher(outputDirectory: out)
        _ = try publisher.publish(
            tenant: "uji", files: [PublishedFile(path: "index.html", bytes: [])],
            staticFiles: [StaticFile(path: "images/logo.svg", sourcePath: source)], manifest: manifest
        )
        #expect(read("\(out)/uji/current/images/logo.svg") == "<svg/>")
    }
}
