import Foundation
import HummingbirdTesting
import KoniAMQP
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Logging
import Midtrans
import PaymentService
import Testing

/// An invoice paid end to end: the Tenant service asks the Payment service for a Midtrans page,
/// the local Midtrans settles it with duplicated and reordered notifications, `payment.succeeded` travels
/// through the real RabbitMQ, and the invoice becomes paid once, announced once.
@Suite(.serialized) struct InvoicePaymentTests {
    static let paymentKey = "invoice-test-payment-key-0123456789abcdef"

    @Test func anInvoicePaidThroughThePaymentServiceIsPaidOnceAndAnnounced() async throws {
        let fake = try FakeMidtrans.named("invoice-payment")
        let exchange = "tenant-pay-test-\(UUID().uuidString.prefix(8))"
        var logger = Logger(label: "invoice-test") { _ in JSONLogHandler(label: "invoice-test", level: .error) }
        logger.logLevel = .error
        let paymentAMQP = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "payment-tests"), logger: logger)
        let tenantAMQP = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "tenant-tests"), logger: logger)
        var payments = PaymentConfiguration(
            databaseURL: try await TestServers.makeDatabase(prefix: "payment_test"), tokenKeys: .publicKeyPEM(TestKeys.publicKeyPEM),
            amqpURL: try TestServers.amqpURL, midtrans: MidtransClient.Settings(apiBaseURL: fake.baseURL, snapBaseURL: fake.baseURL, serverKey: fake.serverKey)
        )
        payments.port = 0
        payments.exchange = exchange
        payments.serviceKeys = [Self.paymentKey]
        payments.reconcileIntervalSeconds = 0
        let paymentDatabase = payments.databaseURL
        let paymentApp = try await PaymentServer.makeApplication(
            configuration: payments, publisher: AMQPOutboxPublisher(connection: paymentAMQP, exchange: exchange), logger: logger
        )
        try await paymentApp.test(.live) { paymentClient in
            let paymentPort = try #require(paymentClient.port)
            try await fake.reset(notifying: paymentPort)
            var test = try await TenantTestApp()
            test.configuration.exchange = exchange
            test.configuration.paymentsQueue = "tenant.payments.\(exchange)"
            test.configuration.payments = ServiceClient.Settings(baseURL: "http://127.0.0.1:\(paymentPort)", serviceKey: Self.paymentKey)
            let recorded = RecordingPublisher()
            let queue = test.configuration.paymentsQueue
            let tenantDatabase = test.configuration.databaseURL
            try await test.application(publisher: recorded, amqp: tenantAMQP).test(.router) { client in
                try await eventually("the consumer declared its queue") { (try? await tenantAMQP.queueStatus(queue)) != nil }
                let tenantID = try #require(try await client.register("kab-jember").json["id"]?.text)
                let subscribed = try await client.jsonRequest(
                    .put, "/api/v1/tenants/\(tenantID)/subscription", json: .object([("plan", .string("tahunan"))]), token: TestKeys.admin)
                let invoiceID = try #require(subscribed.json["invoice"]?["id"]?.text)

                // The branch's own admin pays; a second click is the same charge.
                let cabang = try TestKeys.token(roles: ["admin-cabang"], tenantID: UUID(uuidString: tenantID))
                let paying = try await client.jsonRequest(.post, "/api/v1/tenants/\(tenantID)/invoices/\(invoiceID)/pay", token: cabang)
                #expect(paying.status == 200 && paying.json["redirect_url"]?.text?.hasPrefix(fake.baseURL) == true, "\(paying.text)")
                let paymentID = try #require(paying.json["payment_id"]?.text)
                let again = try await client.jsonRequest(.post, "/api/v1/tenants/\(tenantID)/invoices/\(invoiceID)/pay", token: cabang)
                #expect(again.json["payment_id"]?.text == paymentID)
                let other = try TestKeys.token(roles: ["admin-cabang"], tenantID: UUID())
                #expect(try await client.jsonRequest(.post, "/api/v1/tenants/\(tenantID)/invoices/\(invoiceID)/pay", token: other).status == 404)

                let payment = try await paymentClient.execute(
                    uri: "/internal/v1/payments/\(paymentID)", method: .get, headers: [.init(ServiceKey.headerName)!: Self.paymentKey]
                ) { try JSONValue.parse(Array($0.body.readableBytesView)) }
                let orderID = try #require(payment["order_id"]?.text)
                #expect(payment["amount"] == .number(2_500_000))
                try await fake.pay(orderID, notify: [("duplicates", .number(2)), ("order", .string("reversed")), ("stale_first", .bool(true))])

                try await eventually("the invoice is paid", limit: .seconds(30)) {
                    try await client.jsonRequest(.get, "/api/v1/tenants/\(tenantID)/invoices", token: TestKeys.admin).json["items"]?.list.first?["status"]?.text
                        == "paid"
                }
                try await eventually("tenant.subscription_paid published") { recorded.recorded.contains { $0.type == "tenant.subscription_paid" } }

                // payment.succeeded delivered again (the same event, as a redelivery would).
                let sent = try await TestServers.query(
                    "SELECT payload FROM outbox WHERE type = 'payment.succeeded'", on: paymentDatabase, as: String.self
                )
                #expect(sent.count == 1, "the Payment service announced the payment once")
                try await tenantAMQP.declareExchange(exchange)
                for body in sent { try await tenantAMQP.publish(exchange: exchange, routingKey: "payment.succeeded", body: Array(body.utf8)) }
                try await eventually("the redelivery was consumed") {
                    (try? await tenantAMQP.queueStatus(queue).messageCount) == 0
                }
                try await Task.sleep(for: .milliseconds(500))
                let paid = recorded.recorded.filter { $0.type == "tenant.subscription_paid" }
                #expect(paid.count == 1)
                let event = try JSONValue.parse(try #require(paid.first).body)
                #expect(event["data"]?["invoice_id"]?.text == invoiceID && event["data"]?["amount"] == .number(2_500_000))
                let consumed = try await TestServers.query(
                    "SELECT count(*)::int FROM consumed_events WHERE type = 'payment.succeeded'", on: tenantDatabase, as: Int.self)
                #expect(consumed == [1])
            }
        }
        await paymentAMQP.close()
        await tenantAMQP.close()
    }
}
