@testable import ComproPublish
import ComproModel
import Foundation
import KoniTestSupport
import Testing

/// Once `current` names the new release, readers see it: a failure to sync the swap afterwards is
/// reported with the result, not thrown as a failed publish (the caller would otherwise keep state
/// for a release that is no longer live).
@Suite struct SwapSyncFailureTests {
    func publisher() -> Publisher {
        let out = TemporaryFolders.make("swap-sync")
        var publisher = Publisher(outputDirectory: out)
        publisher.durable = true
        return publisher
    }

    @Test func aLiveReleaseWhoseSwapCouldNotBeSyncedIsReportedNotThrown() throws {
        var publisher = publisher()
        let first = try publisher.publish(
            tenant: "uji", files: [PublishedFile(path: "index.html", bytes: Array("satu".utf8))], staticFiles: [], manifest: manifest)
        #expect(first.swapSyncFailure == nil)
        publisher.swapSync = { paths throws(PublishError) in throw PublishError(path: paths[0], reason: "fsync: Input/output error") }
        let second = try publisher.publish(
            tenant: "uji", files: [PublishedFile(path: "index.html", bytes: Array("dua".utf8))], staticFiles: [], manifest: manifest)
        #expect(publisher.currentRelease("uji") == second.release, "the new release is live")
        #expect(second.swapSyncFailure?.reason == "fsync: Input/output error")
        #expect(read("\(publisher.currentLink("uji"))/index.html") == "dua")
    }

    @Test func aRollbackWhoseSwapCouldNotBeSyncedSaysSoAndIsLive() throws {
        var publisher = publisher()
        let first = try publisher.publish(
            tenant: "uji", files: [PublishedFile(path: "index.html", bytes: Array("satu".utf8))], staticFiles: [], manifest: manifest)
        _ = try publisher.publish(tenant: "uji", files: [PublishedFile(path: "index.html", bytes: Array("dua".utf8))], staticFiles: [], manifest: manifest)
        publisher.swapSync = { paths throws(PublishError) in throw PublishError(path: paths[0], reason: "fsync: Input/output error") }
        #expect(throws: PublishError.self) { try publisher.rollback("uji") }
        #expect(publisher.currentRelease("uji") == first.release)
    }
}
