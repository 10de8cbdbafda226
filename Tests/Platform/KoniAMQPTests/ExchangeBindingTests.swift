import Foundation
import KoniTestSupport
import KoniAMQP
import Testing

/// Exchange-to-exchange bindings, headers-exchange bindings with arguments, and unbinding, against
/// the real broker; the bindings come back after a reconnect like the rest of the topology.
@Suite struct ExchangeBindingTests {
    @Test func headersBindingsRouteByHeaderAndAreDeclaredAgainAfterAReconnect() async throws {
        let name = "e2e-\(UUID().uuidString.prefix(8))"
        let connection = AMQPConnection(configuration: try TestBroker.configuration(name: name), logger: TestBroker.logger)
        let other = try TestBroker.connect("e2e-other")
        let source = TestBroker.unique("source")
        let byTenant = TestBroker.unique("by-tenant")
        let queue = TestBroker.unique("jatim")
        try await connection.declareExchange(source, type: "topic", durable: false)
        try await connection.declareExchange(byTenant, type: "headers", durable: false)
        try await connection.bindExchange(byTenant, to: source, routingKey: "cms.#")
        // Auto-delete: gone with the old connection, so only re-declaration brings it back.
        try await connection.declareQueue(queue, durable: false, autoDelete: true)
        try await connection.bindQueue(queue, exchange: byTenant, routingKey: "", arguments: ["x-match": "all", "tenant_slug": "jatim"])
        let deliveries = Collector(connection.consume(queue: queue, prefetch: 10))

        func publish(_ body: String, tenant: String, routingKey: String = "cms.page_updated") async throws {
            try await connection.publish(
                exchange: source, routingKey: routingKey, body: Array(body), headers: ["tenant_slug": .string(tenant)], mandatory: true)
        }
        func expectReturned(_ body: String, tenant: String, routingKey: String = "cms.page_updated") async {
            let error = await #expect(throws: AMQPError.self) { try await publish(body, tenant: tenant, routingKey: routingKey) }
            guard case .returned(_, 312, _)? = error else {
                Issue.record("expected '\(body)' to be returned as unroutable, got \(String(describing: error))")
                return
            }
        }

        try await publish("jatim 1", tenant: "jatim")
        await expectReturned("jabar", tenant: "jabar")
        await expectReturned("jatim, other type", tenant: "jatim", routingKey: "user.registered")
        let first = try await deliveries.next()
        #expect(first.body == Array("jatim 1"))
        #expect(first.headers["tenant_slug"] == .string("jatim"))
        try await first.ack()

        // Another client deletes the headers exchange (with both its bindings), then the broker drops
        // our connection: the reconnect must declare the exchange, both bindings and the queue again.
        try await other.deleteExchange(byTenant)
        await expectReturned("while unbound", tenant: "jatim")
        #expect(try await TestBroker.closeConnections(named: name) == 1)
        try await eventually("reconnected") { connection.status.connections >= 2 && connection.status.isConnected }
        try await eventually("routed again after re-declaration") {
            do {
                try await publish("jatim 2", tenant: "jatim")
                return true
            } catch AMQPError.notConnected, AMQPError.connectionLost, AMQPError.returned {
                return false
            }
        }
        let second = try await deliveries.next()
        #expect(second.body == Array("jatim 2"))
        try await second.ack()

        // Unbinding (also one that does not exist) and forgetting it.
        try await connection.unbindQueue(queue, exchange: byTenant, routingKey: "", arguments: ["x-match": "all", "tenant_slug": "jatim"])
        try await connection.unbindQueue(queue, exchange: byTenant, routingKey: "", arguments: ["x-match": "all", "tenant_slug": "papua"])
        await expectReturned("after unbind", tenant: "jatim")
        #expect(deliveries.buffered == 0)

        deliveries.cancel()
        try await connection.deleteExchange(byTenant)
        try await connection.deleteExchange(source)
        // Deleting an exchange that is already gone is not an error (the daemon relies on it).
        try await connection.deleteExchange(byTenant)
        await other.close()
        await connection.close()
    }
}
