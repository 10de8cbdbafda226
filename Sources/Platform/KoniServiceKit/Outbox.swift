import Foundation
import KoniEvents
import KoniJSON
import Logging
import PostgresNIO

/// One event as the outbox stores and the relay publishes it: the shared envelope type.
public typealias OutboxEvent = KoniEvent

/// The transactional outbox: an event is a row written in the same transaction as the change it
/// announces, so it exists if and only if the change committed; ``OutboxRelay`` sends it later.
public enum Outbox {
    /// The table every service that emits events creates (include in its migrations).
    public static let migrationStatements = [
        """
        CREATE TABLE outbox (
            seq bigserial PRIMARY KEY,
            id uuid NOT NULL UNIQUE,
            type text NOT NULL,
            tenant_id uuid,
            payload text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            sent_at timestamptz,
            attempts integer NOT NULL DEFAULT 0,
            last_error text
        )
        """,
        "CREATE INDEX outbox_pending ON outbox (seq) WHERE sent_at IS NULL",
    ]

    /// Stores `event` on `connection`, which must be inside the caller's write transaction.
    public static func add(_ event: OutboxEvent, on connection: PostgresConnection, logger: Logger) async throws {
        let payload = event.envelope.jsonText
        try await connection.query(
            "INSERT INTO outbox (id, type, tenant_id, payload) VALUES (\(event.id), \(event.type.rawValue), \(event.tenantID), \(payload))",
            logger: logger
        )
    }
}

/// A pending outbox row as the relay hands it to a publisher.
public struct OutboxMessage: Sendable {
    public var sequence: Int64
    public var id: UUID
    /// The event type, also the routing key.
    public var type: String
    /// The envelope's JSON bytes.
    public var body: [UInt8]
    /// The envelope's `tenant_slug` (nil for events that name no tenant), so that a publisher can
    /// put it in a message header for consumers sharded by tenant.
    public var tenantSlug: String?

    /// A message whose `tenantSlug` is read from the envelope in `body` (nil when the body is not
    /// a JSON object with a string `tenant_slug`).
    public init(sequence: Int64, id: UUID, type: String, body: [UInt8]) {
        self.sequence = sequence
        self.id = id
        self.type = type
        self.body = body
        if case .string(let slug)? = (try? JSONValue.parse(body))?["tenant_slug"] { tenantSlug = slug }
    }
}

/// Sends outbox rows to a broker. `publish` returns only once the broker has confirmed the
/// message (publisher confirms); throwing leaves the row pending.
public protocol OutboxPublisher: Sendable {
    /// Called before the first publish after (re)starting or after a failure (declare exchanges).
    func prepare() async throws
    func publish(_ message: OutboxMessage) async throws
}
