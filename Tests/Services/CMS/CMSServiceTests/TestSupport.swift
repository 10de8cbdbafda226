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

/// An RSA key pair made for the test run, and tokens signed (or forged) with it.
enum TestKeys {
    static let privateKey: _RSA.Signing.PrivateKey = {
        do { return try _RSA.Signing.PrivateKey(keySize: .bits2048) } catch { fatalError("cannot make an RSA key: \(error)") }
    }()
    static var publicKeyPEM: String { privateKey.publicKey.pemRepresentation }

    /// The claims the Auth service would sign: the permissions follow from the roles by the matrix
    /// (a per-branch role is taken as granted for `tenantID`).
    static func claims(roles: [String], tenantID: UUID? = nil, expiresIn: TimeInterval = 900) -> JSONValue {
        let grants = roles.map { role in (role: role, tenantID: RoleMatrix.role(role)?.perBranch == true ? tenantID : nil) }
        let permissions = PermissionTable.matrix.claims(for: grants, tenant: tenantID).permissions
        var pairs: [(key: String, value: JSONValue)] = [
            ("sub", .string(UUID().uuidString.lowercased())), ("email", .string("admin@koni.id")), ("roles", .array(roles.map { .string($0) })),
            ("permissions", .array(permissions.map { .string($0) })), ("exp", .number(Double(Int(Date().timeIntervalSince1970 + expiresIn)))),
            ("iss", .string(JWTVerifier.Expectations.defaultIssuer)), ("aud", .string(JWTVerifier.Expectations.defaultAudience)),
            ("nbf", .number(Double(Int(Date().timeIntervalSince1970) - 1))),
        ]
        if let tenantID { pairs.append(("tenant_id", .string(tenantID.uuidString.lowercased()))) }
        return .object(pairs)
    }

    /// A valid RS256 token.
    static func token(roles: [String], tenantID: UUID? = nil, expiresIn: TimeInterval = 900) throws -> String {
        try sign(header: .object([("alg", .string("RS256")), ("typ", .string("JWT"))]), claims: claims(roles: roles, tenantID: tenantID, expiresIn: expiresIn))
    }

    static func sign(header: JSONValue, claims: JSONValue, with key: _RSA.Signing.PrivateKey = privateKey) throws -> String {
        let input = Base64URL.encode(header.jsonBytes) + "." + Base64URL.encode(claims.jsonBytes)
        let signature = try key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        return input + "." + Base64URL.encode(signature.rawRepresentation)
    }

    static let admin = { () -> String in (try? token(roles: ["admin"])) ?? "" }()
}

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
        let client = PostgresClient(configuration: try Database.configuration(url: databaseURL))
        return try await withThrowingTaskGroup(of: [Row].self) { group in
            group.addTask { await client.run(); return [] }
            var result: [Row] = []
            for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Row.self) { result.append(value) }
            group.cancelAll()
            return result
        }
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
        ("photos", .array([.object([("src", .string("/images/a.jpg")), ("alt", .string("Kontingen")), ("caption", .string("Pembukaan"))]), .object([("src", .string("/images/b.jpg")), ("alt", .string("Api"))])])),
    ])
    static let athlete = JSONValue.object([
        ("slug", .string("andi")), ("name", .string("Andi")), ("sport", .string("Sepak Bola")),
        ("stats", .object([("goals", .number(45)), ("assists", .number(12)), ("apps", .number(80))])), ("birth_year", .number(2001)),
    ])
    static let page = JSONValue.object([
        ("slug", .string("profil")), ("title", .string("Profil")), ("order", .number(1)),
        ("sections", .array([
            .object([("type", .string("hero")), ("title", .string("Selamat datang")), ("image", .string("/images/hero.jpg"))]),
            .object([("type", .string("stats")), ("items", .array([.object([("value", .string("31")), ("label", .string("Cabor"))])]))]),
            .object([("type", .string("body"))]),
        ])),
        ("body", .string("## Sejarah\n\nBerdiri 1967.")),
    ])
}
