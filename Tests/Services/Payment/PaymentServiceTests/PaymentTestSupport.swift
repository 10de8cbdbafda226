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

/// The local Midtrans of `Tests/Support/Midtrans/fake_midtrans.py` (Snap, Core API, signed
/// notifications, outages), one per test process; steered through its `/_control/` routes.
enum FakeMidtrans {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static let serverKey = "SB-Mid-server-koni-test-\(UUID().uuidString.prefix(8))"

    static let baseURL: Result<String, Failure> = {
        let started = ScriptServer.start("Tests/Support/Midtrans/fake_midtrans.py", ["--server-key", serverKey, "--refund-any-payment-type"])
        guard case .success(let line) = started, let json = try? JSONValue.parse(Array(line.utf8)), case .string(let url)? = json["base_url"] else {
            return .failure(Failure(description: "the fake Midtrans did not start: \(started)"))
        }
        return .success(url)
    }()

    /// Posts `body` to `/_control/<path>`; the answer's JSON.
    @discardableResult
    static func control(_ path: String, _ body: JSONValue = .object([])) async throws -> JSONValue {
        var request = HTTPClientRequest(url: try baseURL.get() + "/_control/" + path)
        request.method = path == "state" ? .GET : .POST
        if path != "state" {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.jsonBytes))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw Failure(description: "/_control/\(path) answered \(response.status.code): \(String(buffer: bytes))")
        }
        return try JSONValue.parse(Array(bytes.readableBytesView))
    }

    /// The customer pays (or fails to) on the Snap page of `orderID`; `notify` as the fake takes it.
    static func pay(_ orderID: String, status: String = "settlement", paymentType: String = "qris", notify: [(String, JSONValue)] = []) async throws {
        try await control("pay", .object([
            ("order_id", .string(orderID)), ("transaction_status", .string(status)), ("payment_type", .string(paymentType)), ("notify", .object(notify)),
        ]))
    }

    /// Forgets every transaction, counter and outage, and sends notifications to the service on `port`.
    static func reset(notifying port: Int) async throws {
        try await control("reset")
        try await control("notify-url", .object([("url", .string("http://127.0.0.1:\(port)/api/v1/payments/midtrans/notification"))]))
    }

    /// Waits until every notification sent so far was delivered.
    static func drain() async throws { try await control("drain", .object([("timeout_seconds", .number(20))])) }
}

/// The Payment service on a fresh database, talking to the fake Midtrans.
struct PaymentTestApp {
    static let serviceKey = "payment-test-service-key-0123456789abcdef"
    var configuration: PaymentConfiguration

    init(timeout: Duration = .seconds(5), breakerCooldown: Duration = .seconds(30)) async throws {
        let base = try FakeMidtrans.baseURL.get()
        var midtrans = MidtransClient.Settings(apiBaseURL: base, snapBaseURL: base, serverKey: FakeMidtrans.serverKey)
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
