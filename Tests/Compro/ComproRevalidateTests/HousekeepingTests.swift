import Foundation
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

private final class StepLog: @unchecked Sendable {
    private let lock = NSLock()
    private var steps: [String] = []

    func record(_ step: String) { lock.withLock { steps.append(step) } }
    var all: [String] { lock.withLock { steps } }
}
