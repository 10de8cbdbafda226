import AthleteService
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
        let publisher = AMQPConnection(
            configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "auth-tests-publisher"), logger: logger)
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

            let event = KoniEvent(
                type: .athleteRegistered, tenantID: jatim, tenantSlug: "jatim",
                data: .object([
                    ("athlete_id", .string(UUID().uuidString)), ("user_id", .string(userID)), ("tenant_id", .string(jatim.uuidString)),
                    ("sport", .string("catur")), ("slug", .string("budi")),
                ]), traceID: "t")
            // The same event three times (a redelivery, a duplicate publish): one grant.
            for _ in 0..<3 {
                try await publisher.publish(exchange: exchange, routingKey: "athlete.registered", body: event.body)
            }
            try await publisher.publish(exchange: exchange, routingKey: "athlete.registered", body: Array("{not json".utf8))
            try await publisher.publish(
                exchange: exchange, routingKey: "athlete.registered",
                body: KoniEvent(
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

    /// Both services together: an athlete registered in the Athlete service with the person's
    /// account makes that account a `player` of the branch, through the Athlete service's outbox,
    /// the real RabbitMQ and Auth's consumer.
    @Test func anAthleteRegisteredInTheAthleteServiceBecomesAPlayer() async throws {
        var app = try await AuthTestApp()
        let exchange = "auth-athlete-test-\(UUID().uuidString.prefix(8))"
        app.configuration.exchange = exchange
        app.configuration.athletesQueue = "auth.athlete-registered.\(exchange)"
        let queue = app.configuration.athletesQueue
        let logger = app.logger
        let authAMQP = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "auth-athlete-tests"), logger: logger)
        let athleteAMQP = AMQPConnection(
            configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "athlete-auth-tests"), logger: logger)
        var athletes = AthleteConfiguration(
            databaseURL: try await TestServers.makeDatabase(prefix: "athlete_test"), tokenKeys: .publicKeyPEM(TestKeys.publicKeyPEM),
            amqpURL: try TestServers.amqpURL
        )
        athletes.port = 0
        athletes.exchange = exchange
        let athleteApp = try await AthleteServer.makeApplication(
            configuration: athletes, publisher: AMQPOutboxPublisher(connection: athleteAMQP, exchange: exchange), amqp: nil, logger: logger
        )
        let auth = try await AuthServer.makeApplication(configuration: app.configuration, publisher: app.publisher, amqp: authAMQP, logger: logger)
        try await auth.test(.router) { client in
            try await eventually("Auth declared its queue", limit: .seconds(30)) { (try? await authAMQP.queueStatus(queue)) != nil }
            let userID = try #require(try await client.register(freshEmail("pemain")).json["id"]?.string)
            try await athleteApp.test(.router) { athleteClient in
                let manager = try TestKeys.token(roles: ["admin-cabang"], tenantID: BranchID.derived(slug: "jatim"))
                let registered = try await athleteClient.jsonRequest(
                    .post, "/api/v1/athletes/jatim/athletes",
                    json: .object([
                        ("slug", .string("pemain-baru")), ("full_name", .string("Pemain Baru")), ("birth_date", .string("2000-01-01")),
                        ("gender", .string("P")),
                        ("sport", .string("catur")), ("user_id", .string(userID)),
                    ]), token: manager)
                #expect(registered.status == 201, "\(registered.text)")
                try await eventually("the account is a player of jatim", limit: .seconds(30)) {
                    let user = try await client.call(.get, "/internal/users/\(userID)", headers: [.init("X-Koni-Service-Key")!: AuthTestApp.serviceKey])
                    return (user.json["grants"]?.array ?? []).contains { $0["role"]?.string == "player" && $0["tenant_slug"]?.string == "jatim" }
                }
            }
        }
        try? await authAMQP.deleteQueue(queue)
        try? await authAMQP.deleteQueue("\(queue).dead")
        await authAMQP.close()
        await athleteAMQP.close()
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
