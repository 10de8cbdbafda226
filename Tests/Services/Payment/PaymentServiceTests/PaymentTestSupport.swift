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

/// An answer of the service under test.
struct PaymentReply: Sendable {
    var status: Int
    var json: JSONValue
    var text: String
}

extension TestClientProtocol {
    /// `method path` with an optional JSON body, bearer token and extra headers.
    func send(
        _ method: HTTPRequest.Method, _ path: String, json: JSONValue? = nil, raw: [UInt8]? = nil, token: String? = nil, headers extra: [(String, String)] = []
    ) async throws -> PaymentReply {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        let bytes = json.map(\.jsonBytes) ?? raw
        if bytes != nil { headers[.contentType] = "application/json" }
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        return try await execute(uri: path, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) }) { response in
            let text = String(buffer: response.body)
            return PaymentReply(status: Int(response.status.code), json: (try? JSONValue.parse(Array(text.utf8))) ?? .null, text: text)
        }
    }

    /// An owner service's charge through `/internal`.
    func charge(owner: String, amount: Int = 250_000, key: String, tenant: UUID? = nil) async throws -> PaymentReply {
        var fields: [(key: String, value: JSONValue)] = [
            ("owner_kind", .string("tenant_invoice")), ("owner_id", .string(owner)), ("amount", .number(Double(amount))),
            ("description", .string("Langganan KONI Compro \(owner)")), ("customer", .object([("name", .string("KONI Jatim")), ("email", .string("bendahara@jatim.koni.id"))])),
        ]
        if let tenant { fields.append(("tenant_id", .string(tenant.uuidString.lowercased()))) }
        return try await send(
            .post, "/internal/v1/payments/charges", json: .object(fields),
            headers: [(ServiceKey.headerName, PaymentTestApp.serviceKey), ("Idempotency-Key", key)]
        )
    }
}

extension JSONValue {
    var text: String? { if case .string(let value) = self { value } else { nil } }
    var int: Int? { if case .number(let value) = self { Int(value) } else { nil } }
    var list: [JSONValue] { if case .array(let items) = self { items } else { [] } }
}
