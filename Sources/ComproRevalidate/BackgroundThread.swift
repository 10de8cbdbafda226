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
        let thread = Thread {
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
}
