import ServiceLifecycle

/// A service's background round (billing, reconciling, syncing) every `interval` once the
/// service is ready, until graceful shutdown; a round's own failures are its to log, so one bad
/// round never stops the next.
public struct RecurringJob: Service {
    let interval: Duration
    let ready: ReadyGate
    let round: @Sendable () async -> Void

    public init(every interval: Duration, ready: ReadyGate, round: @escaping @Sendable () async -> Void) {
        self.interval = interval
        self.ready = ready
        self.round = round
    }

    public func run() async throws {
        guard await ready.wait() else { return }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await round()
                try? await Task.sleep(for: interval)
            }
        }
    }
}
