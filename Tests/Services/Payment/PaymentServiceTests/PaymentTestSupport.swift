import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Logging
import Midtrans
import NIOCore
import PaymentService
import PostgresNIO

/// The Payment service on a fresh database, talking to the fake Midtrans.
struct PaymentTestApp {
    static let serviceKey = "payment-test-service-key-0123456789abcdef"
    var configuration: PaymentConfiguration

    init(timeout: Duration = .seconds(5), breakerCooldown: Duration = .seconds(30)) async throws {
        let fake = try PaymentFlowTests.fake()
        var midtrans = MidtransClient.Settings(apiBaseURL: fake.baseURL, snapBaseURL: fake.baseURL, serverKey: fake.serverKey)
        midtrans.timeout = timeout
        midtrans.breakerThreshold = 3
        midtrans.breakerCooldown = breakerCooldown
        configuration = PaymentConfiguration(
            databaseURL: try await TestServers.makeDatabase(prefix: "payment_test"), tokenKeys: .publicKeyPEM(TestKeys.publicKeyPEM),
            amqpURL: try TestServers.amqpURL, midtrans: midtrans
        )
        configuration.port = 0
        configuration.serviceKeys = [Self.serviceKey]
        configuration.reconcileIntervalSeconds = 0
    }

    func application(publisher: any OutboxPublisher = RecordingPublisher()) async throws -> some ApplicationProtocol {
        var logger = Logger(label: "payment-test") { _ in JSONLogHandler(label: "payment-test", level: .error) }
        logger.logLevel = .error
        return try await PaymentServer.makeApplication(configuration: configuration, publisher: publisher, logger: logger)
    }

    /// Rows of `sql` on the service's database.
    func query<Row: Sendable & PostgresDecodable>(_ sql: String, as: Row.Type) async throws -> [Row] {
        try await TestServers.query(sql, on: configuration.databaseURL, as: Row.self)
    }
}

extension TestClientProtocol {
    /// An owner service's charge through `/internal`.
    func charge(owner: String, amount: Int = 250_000, key: String, tenant: UUID? = nil) async throws -> ServiceReply {
        var fields: [(key: String, value: JSONValue)] = [
            ("owner_kind", .string("tenant_invoice")), ("owner_id", .string(owner)), ("amount", .number(Double(amount))),
            ("description", .string("Langganan KONI Compro \(owner)")),
            ("customer", .object([("name", .string("KONI Jatim")), ("email", .string("bendahara@jatim.koni.id"))])),
        ]
        if let tenant { fields.append(("tenant_id", .string(tenant.uuidString.lowercased()))) }
        return try await jsonRequest(
            .post, "/internal/v1/payments/charges", json: .object(fields),
            headers: [(ServiceKey.headerName, PaymentTestApp.serviceKey), ("Idempotency-Key", key)]
        )
    }
}
