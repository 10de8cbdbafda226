import CMSService
import Crypto
import Foundation
import KoniServiceTestSupport
import KoniTestSupport
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import Logging
import PostgresNIO
import Testing
import _CryptoExtras

/// The CMS on a fresh database, with events going to `publisher`.
struct CMSTestApp {
    var databaseURL: String
    var configuration: CMSConfiguration
    let metrics = ServiceMetrics()
    /// Where the service logs (JSON lines); warnings and worse go to stderr by default.
    var logSink: LogSink?

    init(maximumBodyBytes: Int = 64 * 1024) async throws {
        databaseURL = try await TestServers.makeDatabase()
        configuration = CMSConfiguration(databaseURL: databaseURL, jwtPublicKeyPEM: TestKeys.publicKeyPEM, amqpURL: try TestServers.amqpURL)
        configuration.port = 0
        configuration.maximumBodyBytes = maximumBodyBytes
        configuration.themesDirectory = Repository.root + "/Themes"
        configuration.relay.minimumBackoff = .milliseconds(100)
        configuration.relay.maximumBackoff = .milliseconds(500)
        configuration.relay.pollInterval = .milliseconds(200)
    }

    var logger: Logger {
        if let logSink {
            var logger = Logger(label: "cms-test") { _ in JSONLogHandler(label: "cms-test", level: .info, sink: logSink) }
            logger.logLevel = .info
            return logger
        }
        var logger = Logger(label: "cms-test") { _ in JSONLogHandler(label: "cms-test", level: .warning) }
        logger.logLevel = .warning
        return logger
    }

    func application(publisher: any OutboxPublisher) async throws -> some ApplicationProtocol {
        try await CMSServer.makeApplication(configuration: configuration, publisher: publisher, logger: logger, metrics: metrics)
    }

    /// Runs SQL against the test database directly (to check what was stored).
    func query<Row: Sendable>(_ sql: String, as: Row.Type) async throws -> [Row] where Row: PostgresDecodable {
        try await TestServers.query(sql, on: databaseURL, as: Row.self)
    }
}

/// JSON request helpers over Hummingbird's test client.
extension TestClientProtocol {
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = TestKeys.admin, json: JSONValue? = nil, raw: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, body: JSONValue, headers: HTTPFields) {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json { body = ByteBuffer(bytes: json.jsonBytes) } else if let raw { body = ByteBuffer(string: raw) }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(uri: path, method: method, headers: headers, body: body) { response in
            let bytes = Array(response.body.readableBytesView)
            let json = bytes.isEmpty ? JSONValue.null : try JSONValue.parse(bytes)
            return (response.status, json, response.headers)
        }
    }
}

extension JSONValue {
    var string: String? { if case .string(let text) = self { text } else { nil } }
    var int: Int? { if case .number(let number) = self { Int(number) } else { nil } }
    var array: [JSONValue]? { if case .array(let values) = self { values } else { nil } }

    /// A copy with `key` set (added at the end when missing).
    func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var pairs) = self else { return self }
        if let index = pairs.firstIndex(where: { $0.key == key }) { pairs[index].value = value } else { pairs.append((key, value)) }
        return .object(pairs)
    }

    func removing(_ key: String) -> JSONValue {
        guard case .object(let pairs) = self else { return self }
        return .object(pairs.filter { $0.key != key })
    }
}

/// Standard request bodies.
enum Samples {
    static let tenantID = UUID()

    static func site(slug: String, id: UUID = UUID()) -> JSONValue {
        .object([
            ("id", .string(id.uuidString)), ("slug", .string(slug)),
            ("settings", .object([("name", .string("KONI \(slug)")), ("timezone", .string("Asia/Jakarta"))])),
            ("theme", .object([("preset", .string("merah-putih")), ("overrides", .object([("color-primary", .string("#9b1c1c"))]))])),
        ])
    }

    static func news(_ slug: String, published: Bool? = nil) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [
            ("slug", .string(slug)), ("title", .string("Juara umum \(slug)")), ("date", .string("2026-11-24T09:30:00+07:00")),
            ("summary", .string("Ringkasan")), ("tags", .array([.string("porprov")])), ("body", .string("**Tebal** dan _miring_.")),
        ]
        if let published { pairs.append(("published", .bool(published))) }
        return .object(pairs)
    }

    static let event = JSONValue.object([
        ("slug", .string("porprov-2026")), ("title", .string("PORPROV 2026")), ("start", .string("2026-11-20")), ("end", .string("2026-11-30")),
        ("location", .string("Stadion")), ("registration_url", .string("https://daftar.koni.id/porprov")),
    ])
    static let gallery = JSONValue.object([
        ("slug", .string("defile")), ("title", .string("Defile")), ("date", .string("2026-11-20")),
        (
            "photos",
            .array([
                .object([("src", .string("/images/a.jpg")), ("alt", .string("Kontingen")), ("caption", .string("Pembukaan"))]),
                .object([("src", .string("/images/b.jpg")), ("alt", .string("Api"))]),
            ])
        ),
    ])
    static let athlete = JSONValue.object([
        ("slug", .string("andi")), ("name", .string("Andi")), ("sport", .string("Sepak Bola")),
        ("stats", .object([("goals", .number(45)), ("assists", .number(12)), ("apps", .number(80))])), ("birth_year", .number(2001)),
    ])
    static let page = JSONValue.object([
        ("slug", .string("profil")), ("title", .string("Profil")), ("order", .number(1)),
        (
            "sections",
            .array([
                .object([("type", .string("hero")), ("title", .string("Selamat datang")), ("image", .string("/images/hero.jpg"))]),
                .object([("type", .string("stats")), ("items", .array([.object([("value", .string("31")), ("label", .string("Cabor"))])]))]),
                .object([("type", .string("body"))]),
            ])
        ),
        ("body", .string("## Sejarah\n\nBerdiri 1967.")),
    ])
}
