import ComproBuild
import ComproPublish
import ComproRevalidate
import ComproServe
import ComproTestSupport
import Foundation
import KoniTestSupport
import KoniAMQP
import Logging
import Testing

/// The daemon's RabbitMQ side against a real broker (started by scripts/test).
@Suite struct EventConsumerTests {
    static func brokerURL() throws -> String {
        try TestEnvironment.amqpURL
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A running consumer on its own queue and routing key, over a copy of the fixture tenant.
    struct Harness {
        let tenants: String
        let out: String
        let connection: AMQPConnection
        let settings: EventConsumer.Settings
        let routingKey: String
        let traces: PublishedTraces
        let task: Task<Void, any Error>

        /// `url` defaults to the shared test broker; `shardTenants` as `--shard-tenant`.
        static func start(maxAttempts: Int = 2, shardTenants: [String] = [], url: String? = nil) async throws -> Harness {
            let tenants = try Fixture.copyOfTenants()
            let out = Fixture.temporaryDirectory("events")
            let id = UUID().uuidString.prefix(8).lowercased()
            let configuration = try AMQPConfiguration(
                url: try url ?? brokerURL(), connectionName: "events-\(id)", reconnectDelay: .milliseconds(200), maxReconnectDelay: .seconds(1))
            let connection = AMQPConnection(configuration: configuration, logger: Logger(label: "test"))
            var settings = EventConsumer.Settings()
            settings.queue = "test.revalidate.\(id)"
            settings.bindings = ["cms.test-\(id).#"]
            settings.shardTenants = shardTenants
            settings.maxAttempts = maxAttempts
            settings.retryDelay = .milliseconds(200)
            let revalidator = Revalidator(builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)))
            _ = try await revalidator.revalidate(tenant: "uji")
            let traces = PublishedTraces()
            let consumer = EventConsumer(connection: connection, revalidator: revalidator, settings: settings, traces: traces, logger: Logger(label: "test"))
            try await consumer.declareTopology()
            let task = Task { try await consumer.run() }
            return Harness(
                tenants: tenants, out: out, connection: connection, settings: settings, routingKey: "cms.test-\(id).page_updated", traces: traces, task: task
            )
        }

        func publish(_ body: String) async throws {
            try await connection.publish(exchange: EventConsumer.exchange, routingKey: routingKey, body: Array(body.utf8), messageID: UUID().uuidString)
        }

        func event(entity: String, slug: String, action: String = "updated", trace: String = "t-1") -> String {
            """
            {"id":"\(UUID().uuidString)","type":"cms.page_updated","occurred_at":"2026-11-25T03:00:00Z",\
            "tenant_id":"00000000-0000-0000-0000-000000000001","tenant_slug":"uji",\
            "data":{"entity":"\(entity)","id":"1","slug":"\(slug)","action":"\(action)"},"trace_id":"\(trace)"}
            """
        }

        func page(_ path: String) throws -> String {
            let reader = try ReleaseReader(currentLink: "\(out)/uji/current")
            return String(decoding: reader.read(path) ?? Data(), as: UTF8.self)
        }

        func edit(_ file: String, _ from: String, _ to: String) throws {
            let path = "\(tenants)/uji/content/\(file)"
            try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: from, with: to).write(toFile: path, atomically: true, encoding: .utf8)
        }

        func stop() async {
            task.cancel()
            try? await connection.deleteExchange(EventConsumer.tenantExchange(queue: settings.queue))
            try? await connection.deleteQueue(settings.queue)
            try? await connection.deleteQueue("\(settings.queue).retry")
            try? await connection.deleteQueue("\(settings.queue).dead")
            await connection.close()
        }
    }

    /// Starts the debug `koni-compro` with `arguments`; `faultDelay` (ms) holds every regeneration
    /// before publishing (debug builds only), so that a test can kill it in the middle of one.
    static func launchDaemon(_ arguments: [String], faultDelay: Int?) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Repository.binary("koni-compro"))
        process.arguments = arguments
        var environment = ["KONI_NOW": "2026-11-25T10:00:00+07:00", "PATH": "/usr/bin:/bin"]
        if let faultDelay { environment["KONI_FAULT_PUBLISH_DELAY_MS"] = String(faultDelay) }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func eventIsAppliedThenAcknowledged() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        try harness.edit("news/berita-10.md", "Berita uji nomor 10:", "Dari antrean:")
        let trace = "trace-\(UUID().uuidString)"
        try await harness.publish(harness.event(entity: "news", slug: "berita-10", trace: trace))
        // The outcome is recorded by the event's trace id once the change is live ("live in N ms").
        // A loaded machine (the whole suite in parallel) may take longer than one wait allows.
        #expect(await eventually { await harness.traces.outcome(trace) != nil }, "an outcome was recorded")
        let outcome = await harness.traces.outcome(trace)
        #expect(outcome?.published == true)
        #expect(outcome?.release.isEmpty == false)
        #expect(try harness.page("berita/berita-10/index.html").contains("Dari antrean"), "live when the outcome is recorded")
        #expect(try await eventually { try await harness.connection.queueStatus(harness.settings.queue).messageCount == 0 })
        // Duplicates and reordering are harmless: the site converges to the current content.
        for _ in 0..<3 { try await harness.publish(harness.event(entity: "news", slug: "berita-10")) }
        try await harness.publish(harness.event(entity: "news", slug: "berita-09"))
        try await Task.sleep(for: .milliseconds(500))
        let full = Fixture.temporaryDirectory("full")
        let tenants = harness.tenants
        _ = try await Fixture.offPool { () throws(BuildFailure) in
            try SiteBuilder(environment: Fixture.environment(tenants: tenants, out: full)).build(slug: "uji")
        }.get()
        Fixture.expectEqual(
            try Fixture.tree(currentLink: "\(harness.out)/uji/current"), try Fixture.tree(currentLink: "\(full)/uji/current"), "after duplicates")
    }

    @Test func poisonEventIsDeadLetteredAndLaterEventsStillFlow() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        try await harness.publish("{not json")
        try await harness.publish(#"{"type":"cms.page_updated","tenant_slug":"../etc","data":{}}"#)
        #expect(try await eventually { try await harness.connection.queueStatus("\(harness.settings.queue).dead").messageCount == 2 })
        try harness.edit("news/berita-09.md", "Berita uji nomor 9:", "Setelah racun:")
        try await harness.publish(harness.event(entity: "news", slug: "berita-09"))
        #expect(try await eventually { try harness.page("berita/berita-09/index.html").contains("Setelah racun") })
    }

    @Test func failingEventIsRetriedThenDeadLetteredAndTheSiteStays() async throws {
        let harness = try await Harness.start(maxAttempts: 2)
        defer { Task { await harness.stop() } }
        let before = try harness.page("berita/berita-01/index.html")
        try "---\ntitle: rusak\n---\n".write(toFile: "\(harness.tenants)/uji/content/news/berita-01.md", atomically: true, encoding: .utf8)
        let trace = "trace-\(UUID().uuidString)"
        try await harness.publish(harness.event(entity: "news", slug: "berita-01", trace: trace))
        #expect(try await eventually { try await harness.connection.queueStatus("\(harness.settings.queue).dead").messageCount == 1 })
        #expect(await harness.traces.outcome(trace, wait: .seconds(5))?.published == false, "a dead-lettered change is recorded as not published")
        #expect(try harness.page("berita/berita-01/index.html") == before, "the live site is unchanged")
        // The dead letter says why.
        let dead = harness.connection.consume(queue: "\(harness.settings.queue).dead", prefetch: 1)
        for try await delivery in dead {
            if case .string(let reason)? = delivery.headers["x-koni-error"] {
                #expect(reason.contains("berita-01.md"))
            } else {
                Issue.record("no x-koni-error header")
            }
            #expect(delivery.headers["x-koni-attempt"] == .int(2))
            try await delivery.ack()
            break
        }
    }

    @Test func eventIsRedeliveredAndAppliedAfterTheDaemonIsKilledMidRegeneration() async throws {
        let url = try Self.brokerURL()
        let tenants = try Fixture.copyOfTenants()
        let out = Fixture.temporaryDirectory("killed")
        _ = try SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)).build(slug: "uji")
        let id = UUID().uuidString.prefix(8).lowercased()
        let queue = "test.killed.\(id)"
        let arguments = [
            "serve", "--tenants", tenants, "--templates", "\(Fixture.repository)/Templates", "--themes", "\(Fixture.repository)/Themes",
            "--out", out, "--port", "0", "--amqp", url, "--queue", queue, "--binding", "cms.test-\(id).#", "--log-format", "json",
        ]
        func daemon(faultDelay: Int?) throws -> Process { try Self.launchDaemon(arguments, faultDelay: faultDelay) }
        let connection = AMQPConnection(configuration: try AMQPConfiguration(url: url, connectionName: "killer-\(id)"), logger: Logger(label: "test"))
        defer {
            Task {
                try? await connection.deleteQueue(queue); try? await connection.deleteQueue("\(queue).retry");
                try? await connection.deleteQueue("\(queue).dead"); await connection.close()
            }
        }

        let first = try daemon(faultDelay: 60_000)
        #expect(try await eventually { (try? await connection.queueStatus(queue).consumerCount) == 1 }, "daemon consuming")
        let path = "\(tenants)/uji/content/news/berita-10.md"
        try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "Berita uji nomor 10:", with: "Selamat dari crash:")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let body = """
            {"id":"e-1","type":"cms.page_updated","occurred_at":"2026-11-25T03:00:00Z","tenant_id":"x","tenant_slug":"uji",\
            "data":{"entity":"news","id":"10","slug":"berita-10","action":"updated"},"trace_id":"t"}
            """
        try await connection.publish(exchange: EventConsumer.exchange, routingKey: "cms.test-\(id).page_updated", body: Array(body.utf8))
        // Delivered and unacknowledged: the daemon is inside the regeneration (held before publishing).
        #expect(try await eventually { (try? await connection.queueStatus(queue).messageCount) == 0 })
        try await Task.sleep(for: .seconds(1))
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let reader = { () throws -> String in
            String(decoding: try ReleaseReader(currentLink: "\(out)/uji/current").read("berita/berita-10/index.html") ?? Data(), as: UTF8.self)
        }
        #expect(!(try reader()).contains("Selamat dari crash"), "nothing was published before the kill")
        #expect(try await eventually { (try? await connection.queueStatus(queue).messageCount) == 1 }, "the broker took the event back")

        let second = try daemon(faultDelay: nil)
        #expect(try await eventually(.seconds(30)) { try reader().contains("Selamat dari crash") }, "redelivered and applied")
        #expect(try await eventually { (try? await connection.queueStatus(queue).messageCount) == 0 })
        // SIGTERM: a graceful shutdown, promptly.
        second.terminate()
        let stopped = try await eventually(.seconds(10)) { !second.isRunning }
        #expect(stopped, "the daemon stops within 10 s of SIGTERM")
        if !stopped { kill(second.processIdentifier, SIGKILL) }
    }

    /// A message that kills the daemon before it is settled (here: killed while it is held before
    /// publishing) must not be redelivered forever: the quorum queue's delivery limit parks it in
    /// the dead-letter queue, and the next daemon applies later events.
    @Test func aMessageThatKeepsKillingTheDaemonIsDeadLetteredAndLaterEventsFlow() async throws {
        let url = try Self.brokerURL()
        let tenants = try Fixture.copyOfTenants()
        let out = Fixture.temporaryDirectory("poison-loop")
        _ = try SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)).build(slug: "uji")
        let id = UUID().uuidString.prefix(8).lowercased()
        let queue = "test.poison.\(id)"
        let routingKey = "cms.test-\(id).page_updated"
        let arguments = [
            "serve", "--tenants", tenants, "--templates", "\(Fixture.repository)/Templates", "--themes", "\(Fixture.repository)/Themes",
            "--out", out, "--port", "0", "--amqp", url, "--queue", queue, "--binding", "cms.test-\(id).#", "--log-format", "json",
            "--delivery-limit", "1",
        ]
        func daemon(faultDelay: Int?) throws -> Process { try Self.launchDaemon(arguments, faultDelay: faultDelay) }
        let connection = AMQPConnection(configuration: try AMQPConfiguration(url: url, connectionName: "poison-\(id)"), logger: Logger(label: "test"))
        defer {
            Task {
                try? await connection.deleteQueue(queue); try? await connection.deleteQueue("\(queue).retry");
                try? await connection.deleteQueue("\(queue).dead"); await connection.close()
            }
        }
        func event(_ slug: String) -> [UInt8] {
            Array(
                """
                {"id":"\(UUID().uuidString)","type":"cms.page_updated","occurred_at":"2026-11-25T03:00:00Z","tenant_id":"x","tenant_slug":"uji",\
                "data":{"entity":"news","id":"1","slug":"\(slug)","action":"updated"},"trace_id":"t"}
                """.utf8)
        }
        // Delivery limit 1: the first delivery and one redelivery die with the daemon; then the broker parks the message.
        var published = false
        for round in 1...2 {
            let process = try daemon(faultDelay: 60_000)
            #expect(try await eventually(.seconds(30)) { (try? await connection.queueStatus(queue).consumerCount) == 1 }, "round \(round): consuming")
            if !published {
                try await connection.publish(exchange: EventConsumer.exchange, routingKey: routingKey, body: event("berita-10"), messageID: "racun")
                published = true
            }
            // Delivered and unsettled: the daemon holds it before publishing.
            #expect(try await eventually { (try? await connection.queueStatus(queue).messageCount) == 0 }, "round \(round): delivered")
            try await Task.sleep(for: .milliseconds(500))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        #expect(try await eventually { (try? await connection.queueStatus("\(queue).dead").messageCount) == 1 }, "parked after the limit")
        #expect((try await connection.queueStatus(queue).messageCount) == 0)
        // A daemon without the fault applies the next event.
        let path = "\(tenants)/uji/content/news/berita-09.md"
        try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "Berita uji nomor 9:", with: "Setelah racun:")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let healthy = try daemon(faultDelay: nil)
        defer { healthy.terminate(); healthy.waitUntilExit() }
        #expect(try await eventually(.seconds(30)) { (try? await connection.queueStatus(queue).consumerCount) == 1 })
        try await connection.publish(exchange: EventConsumer.exchange, routingKey: routingKey, body: event("berita-09"))
        let reader = { () throws -> String in
            String(decoding: try ReleaseReader(currentLink: "\(out)/uji/current").read("berita/berita-09/index.html") ?? Data(), as: UTF8.self)
        }
        #expect(try await eventually(.seconds(30)) { try reader().contains("Setelah racun") }, "later events flow")
    }

    @Test func hostileEnvelopesAreRefusedWithoutTrapping() throws {
        let zero = try EventEnvelope.parse(
            Array(#"{"type":"cms.page_updated","tenant_slug":"uji","occurred_at":"0001-01-01T00:00:00Z","data":{"entity":"news","slug":"a"}}"#.utf8))
        #expect(zero.lagSeconds(now: 1_800_000_000) == 86_400, "clamped to a day")
        let future = try EventEnvelope.parse(
            Array(#"{"type":"cms.page_updated","tenant_slug":"uji","occurred_at":"9999-12-31T23:59:59Z","data":{"entity":"news","slug":"a"}}"#.utf8))
        #expect(future.lagSeconds(now: 1_800_000_000) == 0)
        let deep = "{\"type\":\"cms.x\",\"tenant_slug\":\"uji\",\"data\":" + String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000) + "}"
        #expect(throws: InvalidField.self) { try EventEnvelope.parse(Array(deep.utf8)) }
        let big = "{\"type\":\"cms.x\",\"tenant_slug\":\"uji\",\"pad\":\"" + String(repeating: "a", count: 70_000) + "\"}"
        do {
            _ = try EventEnvelope.parse(Array(big.utf8))
            Issue.record("a 70 KB event was read")
        } catch {
            #expect(error.field == "body")
        }
    }

    /// GMS's events name a tournament; a tournament slug that is not one is refused, naming it.
    @Test func gmsEventsNameTheTournament() throws {
        let created = try EventEnvelope.parse(
            Array(#"{"type":"tournament.created","tenant_slug":"uji","data":{"tournament_id":"x","slug":"piala-walikota"}}"#.utf8))
        #expect(created.changes == [ContentChange(entity: .tournament, slug: "piala-walikota")])
        let athlete = try EventEnvelope.parse(Array(#"{"type":"athlete.updated","tenant_slug":"uji","data":{"athlete_id":"a","slug":"andi-pratama"}}"#.utf8))
        #expect(athlete.changes == [ContentChange(entity: .athlete, slug: "andi-pratama")])
        let completed = try EventEnvelope.parse(Array(#"{"type":"match.completed","tenant_slug":"uji","data":{"match_id":"m","tournament_slug":"liga"}}"#.utf8))
        #expect(completed.changes == [ContentChange(entity: .tournament, slug: "liga")])
        do {
            _ = try EventEnvelope.parse(Array(#"{"type":"match.completed","tenant_slug":"uji","data":{"tournament_slug":"../x"}}"#.utf8))
            Issue.record("a path was taken for a tournament slug")
        } catch {
            #expect(error.field.hasSuffix("tournament_slug"), "\(error)")
        }
        do {
            _ = try EventEnvelope.parse(Array(#"{"type":"tournament.updated","tenant_slug":"uji","data":{"tournament_id":"x"}}"#.utf8))
            Issue.record("a tournament event without a slug was read")
        } catch {
            #expect(error.field.hasSuffix("slug"), "\(error)")
        }
    }
}
