import Foundation
import Synchronization
import Testing

@testable import ComproRevalidate

/// `Revalidator.waitForHousekeeping()` (which the settled benchmark relies on) returns only once
/// background work is done, including a last step handed back to a tenant's queue.
@Suite struct HousekeepingTests {
    @Test func waitingReturnsOnlyOnceBackgroundWorkAndItsLastStepAreDone() {
        let steps = StepLog()
        let queue = DispatchQueue(label: "tenant")
        BackgroundThread.run(name: "slow-housekeeping") {
            usleep(100_000)
            steps.record("thread")
            BackgroundThread.finish(on: queue) {
                usleep(100_000)
                steps.record("queue")
            }
        }
        BackgroundThread.waitUntilIdle()
        #expect(steps.all == ["thread", "queue"])
    }
}

private final class StepLog: Sendable {
    private let steps = Mutex<[String]>([])

    func record(_ step: String) { steps.withLock { $0.append(step) } }
    var all: [String] { steps.withLock { $0 } }
}
