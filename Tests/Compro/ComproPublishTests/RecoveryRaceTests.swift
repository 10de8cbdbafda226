@testable import ComproPublish
import ComproModel
import Foundation
import KoniTestSupport
import Testing

/// `prune` runs the crash recovery without the tenant lock (a publish calls prune while holding
/// it), so two processes may both find `current` naming a missing folder and both rename the
/// staging folder into place. The loser's rename fails with ENOENT although the folder is where it
/// should be: that is success, not a failed publish.
@Suite struct RecoveryRaceTests {
    @Test func twoRecoveriesRacingBothSucceed() async throws {
        let out = TemporaryFolders.make("race")
        let publisher = Publisher(outputDirectory: out, keepReleases: 10, pruneGraceSeconds: 0)
        let file = PublishedFile(path: "index.html", bytes: Array("beranda".utf8))
        var failures: [String] = []
        for _ in 0..<150 {
            let release = try publisher.publish(tenant: "uji", files: [file], staticFiles: [], manifest: manifest).release
            let releases = publisher.releasesDirectory("uji")
            try FileManager.default.moveItem(atPath: "\(releases)/\(release)", toPath: "\(releases)/.staging-\(release)")
            // Both start together; each does what an unlocked prune does.
            let start = DispatchSemaphore(value: 0)
            let results = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        start.wait()
                        do { _ = try publisher.finishInterruptedSwap("uji"); return nil } catch { return "\(error)" }
                    }
                }
                start.signal()
                start.signal()
                var all: [String?] = []
                for await result in group { all.append(result) }
                return all
            }
            failures += results.compactMap { $0 }
            #expect(read("\(out)/uji/current/index.html") == "beranda")
        }
        #expect(failures.isEmpty, "\(failures.prefix(3))")
    }
}
