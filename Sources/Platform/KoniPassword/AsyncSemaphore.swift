internal import NIOConcurrencyHelpers

/// A counting semaphore for async code: `wait()` suspends (never spins, never
/// blocks a thread) until a permit is free; waiters are served first come, first served.
///
/// Used to bound how many Argon2 computations hold their memory at the same time.
/// Waiting is deliberately not cancellable: the wait is at most a few hash
/// durations, and a cancellation-aware queue would double the size of this type.
final class AsyncSemaphore: Sendable {
    private struct State {
        var permits: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
        var head = 0  // index of the oldest waiter; avoids O(n) removeFirst on every signal
    }

    private let state: NIOLockedValueBox<State>

    init(permits: Int) {
        state = NIOLockedValueBox(State(permits: max(1, permits)))
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLockedValue { state -> Bool in
                if state.permits > 0 {
                    state.permits -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            // Resumed outside the lock so a resumed task can never re-enter it while held.
            if acquired { continuation.resume() }
        }
    }

    func signal() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard state.head < state.waiters.count else {
                state.permits += 1
                return nil
            }
            let waiter = state.waiters[state.head]
            state.head += 1
            if state.head == state.waiters.count {
                state.waiters.removeAll(keepingCapacity: true)
                state.head = 0
            } else if state.head >= 64, state.head * 2 >= state.waiters.count {
                // Under sustained load the queue may never drain; compact it now and then.
                state.waiters.removeFirst(state.head)
                state.head = 0
            }
            // The permit passes straight to the waiter, so `permits` stays unchanged.
            return waiter
        }
        next?.resume()
    }

    /// Runs `body` while holding a permit.
    func withPermit<T: Sendable, E: Error>(_ body: () async throws(E) -> T) async throws(E) -> T {
        await wait()
        defer { signal() }
        return try await body()
    }
}
