import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs housekeeping (compaction, pruning) on a thread of its own at a lower scheduling priority.
///
/// On Linux, Dispatch's quality-of-service classes do not change a thread's priority, so a
/// compaction on a `.utility` queue competed with regenerations as an equal: on two cores it
/// doubled the slowest regenerations. A nice value only ever goes up without privileges, which is
/// why the work gets a short-lived thread instead of lowering a shared pool thread for good.
enum BackgroundThread {
    /// The nice value added to housekeeping threads (0 … 19).
    static let niceness: Int32 = 10

    /// Runs `work` on a new thread; `niceness` 0 is for work a regeneration may wait for.
    static func run(name: String, niceness: Int32 = niceness, _ work: @escaping @Sendable () -> Void) {
        running.begin()
        let thread = Thread {
            defer { running.end() }
            #if os(Linux)
                // On Linux the nice value belongs to the thread, and `who == 0` is the calling thread;
                // a failure only means the work runs at normal priority.
                if niceness > 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
            #endif
            work()
        }
        thread.name = name
        thread.start()
    }

    /// Runs the last step of housekeeping on `queue`; counted as running until it is done.
    static func finish(on queue: DispatchQueue, _ work: @escaping @Sendable () -> Void) {
        running.begin()
        queue.async {
            defer { running.end() }
            work()
        }
    }

    /// Blocks until no housekeeping thread is running (work they start is waited for too).
    static func waitUntilIdle() { running.waitForZero() }

    private static let running = RunningCount()
}

/// A count of running threads that can be waited on to reach zero.
private final class RunningCount: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var count = 0

    func begin() { condition.withLock { count += 1 } }

    func end() {
        condition.withLock {
            count -= 1
            if count == 0 { condition.broadcast() }
        }
    }

    func waitForZero() {
        condition.withLock {
            while count > 0 { condition.wait() }
        }
    }
}
