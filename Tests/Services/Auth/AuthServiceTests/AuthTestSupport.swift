import AuthService
import ComproModel
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniPassword
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Logging
import NIOCore
import PostgresNIO

/// The Auth service on a fresh database, a fresh key folder, the repository's tenant folders
/// (jatim, jabar, dki) and the real Redis, with its own Redis key prefix so tests never share a
/// rate-limit counter.
struct AuthTestApp {
    var configuration: AuthConfiguration
    let databaseURL: String
    let publisher = RecordingPublisher()
    static let serviceKey = String(repeating: "k", count: 40)

    init() async throws {
        databaseURL = try await TestServers.makeDatabase(prefix: "auth_test")
        let keys = TemporaryFolders.make("auth-keys")
        _ = try SigningKeyRing.generate(directory: keys)
        configuration = AuthConfiguration(databaseURL: databaseURL, redisURL: try TestServers.redisURL, amqpURL: try TestServers.amqpURL, keysDirectory: keys)
        configuration.port = 0
        configuration.tenantsDirectory = Repository.root + "/tenants"
        configuration.passwordParameters = .testing
        configuration.serviceKeys = [Self.serviceKey]
        configuration.redisKeyPrefix = "auth-test-\(UUID().uuidString.prefix(8)):"
        configuration.relay.pollInterval = .milliseconds(100)
    }

    var logger: Logger {
        var logger = Logger(label: "auth-test") { _ in JSONLogHandler(label: "auth-test", level: .warning) }
        logger.logLevel = .warning
        return logger
    }

    func application() async throws -> some ApplicationProtocol {
        try await AuthServer.makeApplication(configuration: configuration, publisher: publisher, amqp: nil, logger: logger)
    }

    /// Runs SQL against the test database directly.
    func execute(_ sql: String) async throws {
        let client = PostgresClient(configuration: try Database.configuration(url: databaseURL))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
            group.cancelAll()
        }
    }

    /// One integer from the test database (a count).
    func count(_ sql: String) async throws -> Int {
        let client = PostgresClient(configuration: try Database.configuration(url: databaseURL))
        return try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                await client.run(); return -1
            }
            var value = 0
            for try await number in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { value = number }
            group.cancelAll()
            return value
        }
    }

    /// Gives `email` the role (for a branch slug when given), as `auth-service users grant` does.
    func grant(_ role: String, to email: String, tenant: String? = nil) async throws {
        let tenantValues = tenant.map { "'\(BranchID.derived(slug: $0).uuidString)', '\($0)'" } ?? "NULL, NULL"
        try await execute(
            "INSERT INTO user_roles (user_id, role, tenant_id, tenant_slug) SELECT id, '\(role)', \(tenantValues) FROM users WHERE email_key = '\(email)'"
        )
    }
}

/// A unique address per test, so accounts never collide between parallel tests.
func freshEmail(_ name: String = "atlet") -> String { "\(name)-\(UUID().uuidString.prefix(8).lowercased())@koni.id" }

let goodPassword = "Garuda-Emas-2026"

struct Reply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String
    var json: JSONValue { (try? JSONValue.parse(text)) ?? .null }

    /// Every `Set-Cookie` value by cookie name.
    var cookies: [String: String] {
        var found: [String: String] = [:]
        for field in headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";", maxSplits: 1)[0]
            let parts = pair.split(separator: "=", maxSplits: 1)
            found[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return found
    }

    func setCookie(_ name: String) -> String? { headers.filter { $0.name == .setCookie && $0.value.hasPrefix(name + "=") }.first?.value }
}

extension TestClientProtocol {
    func call(
        _ method: HTTPRequest.Method, _ path: String, json: JSONValue? = nil, form: [(String, String)]? = nil, token: String? = nil,
        cookies: [String: String] = [:], headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: json.jsonBytes)
            headers[.contentType] = "application/json"
        }
        if let form {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            body = ByteBuffer(string: form.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&"))
            headers[.contentType] = "application/x-www-form-urlencoded"
        }
        if let token { headers[.authorization] = "Bearer \(token)" }
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0)=\($1)" }.sorted().joined(separator: "; ") }
        return try await execute(uri: path, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }

    func register(_ email: String, password: String = goodPassword, name: String = "Atlet KONI") async throws -> Reply {
        try await call(.post, "/api/v1/auth/register", json: .object([("email", .string(email)), ("name", .string(name)), ("password", .string(password))]))
    }

    func login(_ email: String, password: String = goodPassword) async throws -> Reply {
        try await call(.post, "/api/v1/auth/login", json: .object([("email", .string(email)), ("password", .string(password))]))
    }

    /// Registers and logs in; the access token.
    func accessToken(_ email: String) async throws -> String {
        _ = try await register(email)
        return try await login(email).json["access_token"]?.string ?? ""
    }
}

/// PKCE for tests: a verifier and its S256 challenge.
struct PKCE {
    let verifier: String
    var challenge: String { Base64URL.encode(SHA256.hash(data: Array(verifier.utf8))) }

    init() {
        verifier = (0..<2).map { _ in UUID().uuidString.replacingOccurrences(of: "-", with: "") }.joined()
    }
}

extension JSONValue {
    var string: String? { if case .string(let text) = self { text } else { nil } }
    var array: [JSONValue]? { if case .array(let values) = self { values } else { nil } }
    var strings: [String] { array?.compactMap(\.string) ?? [] }
}

/// The claims of a JWT, unverified (what the test wants to look at).
func claims(of token: String) -> JSONValue {
    let parts = token.split(separator: ".")
    guard parts.count == 3, let bytes = Base64URL.decode(parts[1]), let value = try? JSONValue.parse(bytes) else { return .null }
    return value
}

func header(of token: String) -> JSONValue {
    guard let first = token.split(separator: ".").first, let bytes = Base64URL.decode(first), let value = try? JSONValue.parse(bytes) else { return .null }
    return value
}
