import AuthService
import ComproModel
import Foundation
import HummingbirdTesting
import KoniAMQP
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Testing

/// Branches registered through the Tenant service can sign in: their `tenant.*` events (the real
/// RabbitMQ) make their domains the registered redirects; a suspended branch cannot sign in; a
/// restart remembers them.
@Suite(.serialized) struct TenantBranchTests {
    @Test func aBranchAnnouncedByTheTenantServiceCanSignInUntilItIsSuspended() async throws {
        var app = try await AuthTestApp()
        app.configuration.exchange = "auth-tenant-test-\(UUID().uuidString.prefix(8))"
        app.configuration.tenantsQueue = "auth.tenants.\(app.configuration.exchange)"
        // Its own athlete queue too: AthleteEventTests consumes the default one meanwhile.
        app.configuration.athletesQueue = "auth.athletes.\(app.configuration.exchange)"
        let exchange = app.configuration.exchange
        let queue = app.configuration.tenantsQueue
        let logger = app.logger
        let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "auth-tenant-tests"), logger: logger)
        let slug = "kab-baru-\(UUID().uuidString.prefix(6).lowercased())"
        let callback = "https://konibaru.id/auth/callback"
        @Sendable func event(_ type: EventType, status: String, version: Int) -> KoniEvent {
            KoniEvent(
                type: type, tenantID: BranchID.derived(slug: slug), tenantSlug: slug,
                data: .object([
                    ("tenant_id", .string(BranchID.derived(slug: slug).uuidString.lowercased())), ("slug", .string(slug)),
                    ("name", .string("KONI Kabupaten Baru")),
                    ("domains", .array([.string("\(slug).koni.id"), .string("konibaru.id")])), ("status", .string(status)),
                    ("version", .number(Double(version))),
                ]), traceID: "t")
        }
        @Sendable func loginForm(_ client: some TestClientProtocol) async throws -> Reply {
            try await client.call(.get, SSOTests.loginPath(callback, challenge: PKCE().challenge))
        }
        let application = try await AuthServer.makeApplication(configuration: app.configuration, publisher: app.publisher, amqp: amqp, logger: logger)
        try await application.test(.router) { client in
            #expect(try await loginForm(client).status == .badRequest, "not registered yet")
            try await eventually("the consumer declared its queue") { (try? await amqp.queueStatus(queue)) != nil }
            try await amqp.declareExchange(exchange)
            try await amqp.publish(exchange: exchange, routingKey: "tenant.created", body: event(.tenantCreated, status: "active", version: 1).body)
            try await eventually("the new branch's domain is a registered redirect") { try await loginForm(client).status == .ok }
            #expect(try await loginForm(client).text.contains("KONI Kabupaten Baru"))

            try await amqp.publish(exchange: exchange, routingKey: "tenant.suspended", body: event(.tenantSuspended, status: "suspended", version: 2).body)
            try await eventually("a suspended branch cannot sign in") { try await loginForm(client).status == .badRequest }
            // An older event delivered late changes nothing.
            try await amqp.publish(exchange: exchange, routingKey: "tenant.created", body: event(.tenantUpdated, status: "active", version: 1).body)
            try await eventually("the late event was consumed") { (try? await amqp.queueStatus(queue).messageCount) == 0 }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await loginForm(client).status == .badRequest)
            try await amqp.publish(exchange: exchange, routingKey: "tenant.updated", body: event(.tenantUpdated, status: "active", version: 3).body)
            try await eventually("resumed") { try await loginForm(client).status == .ok }
        }
        // A restart reads the announced branches back before the first login.
        let restarted = try await AuthServer.makeApplication(configuration: app.configuration, publisher: app.publisher, amqp: nil, logger: logger)
        try await restarted.test(.router) { client in
            let announced = try await loginForm(client)
            #expect(announced.status == .ok)
            // The folders' branches are still there.
            let folder = try await client.call(.get, SSOTests.loginPath(SSOTests.jatim, challenge: PKCE().challenge))
            #expect(folder.status == .ok)
        }
        await amqp.close()
    }
}
