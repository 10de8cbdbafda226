import Synchronization

/// Opens once (e.g. when migrations have run); services that need the schema wait for it.
public final class ReadyGate: Sendable {
    private let state = Mutex<(open: Bool?, waiters: [CheckedContinuation<Bool, Never>])>((nil, []))

    public init() {}

    /// Opens the gate (`true`) or reports that start-up failed (`false`).
    public func open(_ success: Bool = true) {
        let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            guard state.open == nil else { return [] }
            state.open = success
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: success) }
    }

    /// Whether the gate has opened successfully.
    public var isOpen: Bool { state.withLock { $0.open == true } }

    public func wait() async -> Bool {
        await withCheckedContinuation { continuation in
            let result = state.withLock { state -> Bool? in
                if let open = state.open { return open }
                state.waiters.append(continuation)
                return nil
            }
            if let result { continuation.resume(returning: result) }
        }
    }
}
