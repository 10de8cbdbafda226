import ComproPublish
@testable import ComproRevalidate
import Foundation
import KoniTestSupport
import Testing

/// The cursor stored beside the live release counts only for that release and that source: a
/// daemon that starts after the tenant moved to another CMS, or after another release went live,
/// reads the source again instead of trusting a cursor that could equal the new source's by chance.
@Suite struct SourceCursorFileTests {
    /// An output folder whose tenant `uji` has release `release` live.
    func publisher(live release: String) throws -> Publisher {
        let publisher = Publisher(outputDirectory: TemporaryFolders.make("source-cursor"))
        try FileManager.default.createDirectory(atPath: "\(publisher.releasesDirectory("uji"))/\(release)", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: publisher.currentLink("uji"), withDestinationPath: "releases/\(release)")
        return publisher
    }

    @Test func aCursorCountsForItsReleaseAndItsOriginOnly() throws {
        let publisher = try publisher(live: "R1")
        try SourceCursorFile.store("42", origin: "cms:http://cms-a.internal:8003", release: "R1", tenant: "uji", publisher: publisher)
        #expect(SourceCursorFile.read("uji", publisher: publisher, origin: "cms:http://cms-a.internal:8003") == "42")
        #expect(SourceCursorFile.read("uji", publisher: publisher, origin: "cms:http://cms-b.internal:8003") == nil)

        // Another release went live (a build, a rollback): the cursor is not that release's.
        try SourceCursorFile.store("42", origin: "cms:http://cms-a.internal:8003", release: "R0", tenant: "uji", publisher: publisher)
        #expect(SourceCursorFile.read("uji", publisher: publisher, origin: "cms:http://cms-a.internal:8003") == nil)

        // The line written before origins were stored is read as unknown: the source is read once.
        try "R1 42\n".write(toFile: SourceCursorFile.path("uji", publisher: publisher), atomically: true, encoding: .utf8)
        #expect(SourceCursorFile.read("uji", publisher: publisher, origin: "cms:http://cms-a.internal:8003") == nil)
    }

    @Test func aFieldThatWouldBreakTheLineIsNotStored() throws {
        let publisher = try publisher(live: "R1")
        for (cursor, origin) in [("4 2", "cms:http://a"), ("42", "cms:http://a b"), ("42\nR1", "cms:http://a"), ("", "cms:http://a")] {
            #expect(throws: PublishError.self, "\(cursor) \(origin)") {
                try SourceCursorFile.store(cursor, origin: origin, release: "R1", tenant: "uji", publisher: publisher)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: SourceCursorFile.path("uji", publisher: publisher)))
    }
}
