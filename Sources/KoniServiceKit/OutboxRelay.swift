import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Publishes pending outbox rows in order, marking each sent only after the broker confirmed it.
///
/// Woken by ``notify()`` after a commit and by a poll timer (rows written by other instances).
/// While the broker is down it retries with exponential back-off; rows stay pending and nothing
/// is lost. On graceful shutdown it makes one last pass, then stops. One relay works at a time
/// per database (an advisory lock), so instances never race on the same rows.
public final class OutboxRelay: Service, Sendable {
    public struct Settings: Sendable {
        public var pollInterval: Duration = .seconds(1)
        public var batchSize = 100
        public var minimumBackoff: Duration = .milliseconds(200)
        public var maximumBackoff: Duration = .seconds(5)

        public init() {}
    }

    let database: Database
    let publisher: any OutboxPublisher
    let settings: Settings
    let logger: Logger
    let ready: ReadyGate
    let wakeup = Wakeup()
    let stopping = Atomic<Bool>(false)
    let published: Counter
    let failures: Counter

    public init(database: Database, publisher: any OutboxPublisher, settings: Settings = Settings(), ready: ReadyGate, metrics: ServiceMetrics, logger: Logger) {
        self.database = database
        self.publisher = publisher
        self.settings = settings
        self.ready = ready
        self.logger = logger
        self.published = Counter(label: "outbox_published_total", factory: metrics.factory)
        self.failures = Counter(label: "outbox_publish_failures_total", factory: metrics.factory)
    }

    /// Asks the relay to look for new rows now (call after committing a write).
    public func notify() { wakeup.signal() }

    public func run() async throws {
        await withGracefulShutdownHandler {
            guard await ready.wait() else { return }
            var prepared = false
            var backoff = settings.minimumBackoff
            while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                do {
                    if !prepared {
                        try await publisher.prepare()
                        prepared = true
                    }
                    try await drain()
                    backoff = settings.minimumBackoff
                    await wakeup.wait(timeout: settings.pollInterval)
                } catch {
                    prepared = false
                    failures.increment()
                    logger.warning("outbox relay: broker or database unavailable; retrying", metadata: [
                        "error": .string(String(reflecting: error)), "retry_in_ms": .stringConvertible(backoff.components.seconds * 1000 + backoff.components.attoseconds / 1_000_000_000_000_000),
                    ])
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, settings.maximumBackoff)
                }
            }
            // Last pass so that writes accepted before the signal leave with us when the broker is up.
            do {
                if !prepared { try await publisher.prepare() }
                try await drain()
            } catch {
                logger.warning("outbox relay: rows left pending at shutdown; they are sent after the next start", metadata: ["error": .string("\(error)")])
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
            self.wakeup.signal()
        }
    }

    /// Publishes every pending row, batch by batch, in sequence order.
    func drain() async throws {
        while true {
            let sent = try await database.transaction { connection -> Int in
                let locked = try await connection.query("SELECT pg_try_advisory_xact_lock(7263002)", logger: logger)
                for try await gotLock in locked.decode(Bool.self) where !gotLock { return 0 }
                let rows = try await connection.query(
                    "SELECT seq, id, type, payload FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT \(settings.batchSize)", logger: logger
                )
                var batch: [OutboxMessage] = []
                for try await (seq, id, type, payload) in rows.decode((Int64, UUID, String, String).self) {
                    batch.append(OutboxMessage(sequence: seq, id: id, type: type, body: Array(payload.utf8)))
                }
                var count = 0
                for message in batch {
                    do {
                        try await publisher.publish(message)
                    } catch {
                        try await connection.query(
                            "UPDATE outbox SET attempts = attempts + 1, last_error = \(String(describing: error)) WHERE seq = \(message.sequence)",
                            logger: logger
                        )
                        throw RelayInterrupted(sent: count, error: error)
                    }
                    try await connection.query("UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE seq = \(message.sequence)", logger: logger)
                    count += 1
                }
                return count
            }
            published.increment(by: sent)
            if sent < settings.batchSize { return }
        }
    }
}

/// A publish failed part-way through a batch; the rows sent before it are committed as sent.
struct RelayInterrupted: Error, CustomStringConvertible {
    var sent: Int
    var error: any Error
    var description: String { "publish failed after \(sent) message(s): \(error)" }
}

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

/// A wake-up signal for one waiting loop; a signal sent while nobody waits is kept for the next wait.
final class Wakeup: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns on a signal or after `timeout`.
    func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForSignal() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.signal()
        }
    }
}
