import Foundation
import KoniAMQP
import KoniEvents
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import Logging
import PostgresNIO
import Synchronization
import Testing

/// The kit's transactional inbox against real PostgreSQL: an event is applied once however often
/// it is delivered, a rejected one leaves nothing behind.
@Suite struct InboxConsumerTests {
    @Test func anEventIsAppliedOnceAndARejectedOneRollsBack() async throws {
        let url = try await TestServers.makeDatabase(prefix: "inbox_test")
        let logger = Logger(label: "inbox-test")
        let database = try Database(url: url, logger: logger)
        let calls = Mutex(0)
        let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "inbox-tests"), logger: logger)
        let consumer = InboxConsumer(
            queue: "inbox-test", bindings: [.paymentSucceeded], connection: amqp, database: database, exchange: "inbox-test", logger: logger
        ) { _, data, connection in
            calls.withLock { $0 += 1 }
            try await connection.query("INSERT INTO applied (note) VALUES (\(try data.string("note") ?? ""))", logger: logger)
            if try data.string("note") == "bad" { throw RejectedEvent("a bad note") }
            return .applied
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            try await database.transaction { connection in
                for statement in InboxConsumer.migrationStatements + ["CREATE TABLE applied (note text NOT NULL)"] {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
            let event = KoniEvent(type: .paymentSucceeded, tenantID: nil, tenantSlug: nil, data: .object([("note", .string("good"))]), traceID: "t")
            #expect(try await consumer.apply(event.body) == .applied)
            #expect(try await consumer.apply(event.body) == .alreadyApplied)
            let bad = KoniEvent(type: .paymentSucceeded, tenantID: nil, tenantSlug: nil, data: .object([("note", .string("bad"))]), traceID: "t")
            #expect(try await consumer.apply(bad.body) == .rejected("a bad note"))
            let other = KoniEvent(type: .paymentFailed, tenantID: nil, tenantSlug: nil, data: .object([]), traceID: "t")
            if case .ignored = try await consumer.apply(other.body) {} else { Issue.record("an unbound type was not ignored") }
            if case .rejected = try await consumer.apply(Array("{".utf8)) {} else { Issue.record("a broken body was not rejected") }
            let notes = try await database.client.withConnection { connection in
                var notes: [String] = []
                for try await note in try await connection.query("SELECT note FROM applied", logger: logger).decode(String.self) { notes.append(note) }
                return notes
            }
            #expect(notes == ["good"], "the rejected event's insert was rolled back")
            #expect(calls.withLock { $0 } == 2)
            group.cancelAll()
        }
        await amqp.close()
    }
}
