import Foundation
import KoniMetrics
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

    public init(database: Database, publisher: any OutboxPublisher, settings: Settings = Settings(), ready: ReadyGate, metrics: ServiceMetrics, logger: Logger)
    {
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
                    logger.warning(
                        "outbox relay: broker or database unavailable; retrying",
                        metadata: [
                            "error": .string(String(reflecting: error)),
                            "retry_in_ms": .stringConvertible(backoff.components.seconds * 1000 + backoff.components.attoseconds / 1_000_000_000_000_000),
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
