import Foundation

/// What became of the events of one trace id: the answer behind "live in N ms" in the admin.
///
/// The CMS puts the trace id of the request that made a change into its event; when the
/// consumer has published (or given up on) that event, it records the outcome here. A caller
/// that made the change asks with its own trace id and may wait for the outcome.
///
/// Bounded on both sides: the last ``capacity`` outcomes are kept (oldest forgotten first), and
/// at most ``maximumWaiters`` callers wait at once (one more is answered at once with nil).
package actor PublishedTraces {
    /// The outcome of a trace's event.
    package struct Outcome: Sendable, Equatable {
        package var published: Bool
        /// The release the change went live in; empty when it failed.
        package var release: String
        /// When it was recorded, in milliseconds since 1970.
        package var recordedAtMilliseconds: Int64
    }

    package let capacity: Int
    package let maximumWaiters: Int
    private var outcomes: [String: Outcome] = [:]
    private var order: [String] = []
    private var orderStart = 0
    private var waiters: [String: [UUID: CheckedContinuation<Outcome?, Never>]] = [:]
    private var waiterCount = 0

    package init(capacity: Int = 10_000, maximumWaiters: Int = 256) {
        self.capacity = max(1, capacity)
        self.maximumWaiters = max(0, maximumWaiters)
    }

    /// The longest a caller may wait, whatever it asks for.
    package static let maximumWait: Duration = .seconds(10)

    /// Records the outcome of `traceID`'s event and wakes whoever waits for it.
    package func record(_ traceID: String, published: Bool, release: String) {
        let outcome = Outcome(published: published, release: release, recordedAtMilliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        if outcomes.updateValue(outcome, forKey: traceID) == nil {
            order.append(traceID)
            if order.count - orderStart > capacity {
                outcomes[order[orderStart]] = nil
                orderStart += 1
                // Drop the forgotten prefix now and then, not on every record.
                if orderStart > capacity { order.removeFirst(orderStart); orderStart = 0 }
            }
        }
        if let waiting = waiters.removeValue(forKey: traceID) {
            waiterCount -= waiting.count
            for continuation in waiting.values { continuation.resume(returning: outcome) }
        }
    }

    /// The recorded outcome of `traceID`, waiting up to `wait` (capped at ``maximumWait``) for it.
    package func outcome(_ traceID: String, wait: Duration = .zero) async -> Outcome? {
        if let known = outcomes[traceID] { return known }
        guard wait > .zero, waiterCount < maximumWaiters else { return nil }
        let ticket = UUID()
        let deadline = min(wait, Self.maximumWait)
        return await withCheckedContinuation { continuation in
            waiters[traceID, default: [:]][ticket] = continuation
            waiterCount += 1
            Task { [weak self] in
                try? await Task.sleep(for: deadline)
                await self?.expire(traceID, ticket)
            }
        }
    }

    private func expire(_ traceID: String, _ ticket: UUID) {
        guard let continuation = waiters[traceID]?.removeValue(forKey: ticket) else { return }
        waiterCount -= 1
        if waiters[traceID]?.isEmpty == true { waiters[traceID] = nil }
        continuation.resume(returning: nil)
    }

    /// Outcomes kept now (for tests and metrics).
    package var count: Int { outcomes.count }
}
