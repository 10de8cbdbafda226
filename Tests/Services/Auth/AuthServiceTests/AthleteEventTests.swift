import AuthService
import ComproModel
import Foundation
import KoniTestSupport
import HummingbirdTesting
import KoniAMQP
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import Logging
import Testing

/// `athlete.registered` through the real RabbitMQ: the account becomes a `player` of the branch,
/// once however often the event arrives; a malformed event is dead-lettered, not retried forever.
@Suite(.serialized) struct AthleteEventTests {
    @Test func anAthleteRegistrationGrantsPlayerOnceAndBadEventsAreParked() async throws {
        var app = try await AuthTestApp()
        app.configuration.exchange = "auth-test-\(UUID().uuidString.prefix(8))"
        let logger = app.logger
        let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "auth-tests"), logger: logger)
        let publisher = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "auth-tests-publisher"), logger: logger)
        let application = try await AuthServer.makeApplication(configuration: app.configuration, publisher: app.publisher, amqp: amqp, logger: logger)
        let exchange = app.configuration.exchange
        let recorded = app.publisher
        try await application.test(.router) { client in
            let email = freshEmail("atlet")
            let userID = try #require(try await client.register(email).json["id"]?.string)
            let jatim = BranchID.derived(slug: "jatim")
            try await publisher.declareExchange(exchange)
            let dead = "\(AthleteRegisteredConsumer.queue).dead"
            let deadBefore = try await waitForQueue(amqp, dead)

            let event = KoniEvent(type: .athleteRegistered, tenantID: jatim, tenantSlug: "jatim", data: .object([
                ("athlete_id", .string(UUID().uuidString)), ("user_id", .string(userID)), ("tenant_id", .string(jatim.uuidString)),
                ("sport", .string("catur")), ("slug", .string("budi")),
            ]), traceID: "t")
            // The same event three times (a redelivery, a duplicate publish): one grant.
            for _ in 0..<3 {
                try await publisher.publish(exchange: exchange, routingKey: "athlete.registered", body: event.body)
            }
            try await publisher.publish(exchange: exchange, routingKey: "athlete.registered", body: Array("{not json".utf8))
            try await publisher.publish(exchange: exchange, routingKey: "athlete.registered", body: KoniEvent(
                type: .athleteRegistered, tenantID: nil, tenantSlug: nil, data: .object([("user_id", .string("x"))]), traceID: "t"
            ).body)

            let deadline = ContinuousClock.now + .seconds(60)
            var grants: [JSONValue] = []
            var parked = 0
            while ContinuousClock.now < deadline {
                let user = try await client.call(.get, "/internal/users/\(userID)", headers: [.init("X-Koni-Service-Key")!: AuthTestApp.serviceKey])
                grants = user.json["grants"]?.array ?? []
                parked = try await amqp.queueStatus(dead).messageCount - deadBefore
                if grants.count == 2 && parked == 2 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(grants.filter { $0["role"]?.string == "player" }.count == 1)
            #expect(grants.first { $0["role"]?.string == "player" }?["tenant_slug"]?.string == "jatim")
            #expect(parked == 2, "the two malformed events are dead-lettered")
            await eventually { !recorded.recorded.filter { $0.type == "user.role_changed" }.isEmpty }
            #expect(recorded.recorded.filter { $0.type == "user.role_changed" }.count == 1)
        }
        await publisher.close()
        await amqp.close()
    }

    /// The consumer declares its queues when it starts; waits until the dead-letter queue exists.
    func waitForQueue(_ connection: AMQPConnection, _ name: String) async throws -> Int {
        for _ in 0..<50 {
            if let status = try? await connection.queueStatus(name) { return status.messageCount }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("queue \(name) was not declared")
    }
}
