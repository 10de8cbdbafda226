import Synchronization

/// Fails calls fast while a dependency is failing, instead of letting every request wait for
/// its timeout: after ``threshold`` consecutive failures the breaker opens for ``cooldown``;
/// then one trial call is let through (half-open), and its outcome closes or reopens it.
public final class CircuitBreaker: Sendable {
    public let threshold: Int
    public let cooldown: Duration

    private struct State {
        var consecutiveFailures = 0
        var openUntil: ContinuousClock.Instant?
        var trialInFlight = false
    }

    private let state = Mutex(State())

    public init(threshold: Int = 5, cooldown: Duration = .seconds(10)) {
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
    }

    /// Whether a call may go out now; nil when it may, else how long until the next trial.
    public func admit(now: ContinuousClock.Instant = .now) -> Duration? {
        state.withLock { state in
            guard let openUntil = state.openUntil else { return nil }
            if now < openUntil { return openUntil - now }
            // Half-open: one trial at a time.
            if state.trialInFlight { return cooldown }
            state.trialInFlight = true
            return nil
        }
    }

    /// A call that ended without an outcome (its caller was cancelled): frees a half-open
    /// breaker's trial slot and counts nothing.
    public func recordAbandoned() {
        state.withLock { $0.trialInFlight = false }
    }

    public func recordSuccess() {
        state.withLock { $0 = State() }
    }

    public func recordFailure(now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            state.consecutiveFailures += 1
            state.trialInFlight = false
            if state.consecutiveFailures >= threshold || state.openUntil != nil { state.openUntil = now + cooldown }
        }
    }

    /// Whether calls are being refused now.
    public var isOpen: Bool { state.withLock { state in state.openUntil.map { ContinuousClock.now < $0 } ?? false } }
}
