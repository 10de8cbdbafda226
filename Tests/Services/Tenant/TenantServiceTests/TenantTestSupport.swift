import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KoniAMQP
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import Logging
import NIOCore
import PostgresNIO
import Synchronization
import TenantService

/// The Tenant service on a fresh database, with a clock tests can move.
struct TenantTestApp {
    static let serviceKey = "tenant-test-service-key-0123456789abcdef0"
    var configuration: TenantConfiguration
    let clock = TestClock()

    init() async throws {
        configuration = TenantConfiguration(
            databaseURL: try await TestServers.makeDatabase(prefix: "tenant_test"), tokenKeys: .publicKeyPEM(TestKeys.publicKeyPEM),
            amqpURL: try TestServers.amqpURL, themePresets: ["merah-putih", "hijau-priangan"]
        )
        configuration.port = 0
        configuration.serviceKeys = [Self.serviceKey]
        configuration.billingIntervalSeconds = 0
    }

    func application(publisher: any OutboxPublisher = RecordingPublisher(), amqp: AMQPConnection? = nil) async throws -> some ApplicationProtocol {
        var logger = Logger(label: "tenant-test") { _ in JSONLogHandler(label: "tenant-test", level: .error) }
        logger.logLevel = .error
        let clock = self.clock
        return try await TenantServer.makeApplication(
            configuration: configuration, publisher: publisher, amqp: amqp, logger: logger, calendarNow: { clock.now }
        )
    }

    func query<Row: Sendable & PostgresDecodable>(_ sql: String, as: Row.Type) async throws -> [Row] {
        try await TestServers.query(sql, on: configuration.databaseURL, as: Row.self)
    }
}

/// "Now" for billing, moved by the test.
final class TestClock: Sendable {
    private let value = Mutex(Date(timeIntervalSince1970: 1_798_765_200))  // 2027-01-01 08:00 WIB

    var now: Date { value.withLock { $0 } }
    func advance(days: Int) { value.withLock { $0 = $0.addingTimeInterval(Double(days) * 86_400) } }
}

extension TestClientProtocol {
    /// Registers a branch as an admin.
    func register(_ slug: String, name: String? = nil, level: String = "kabupaten-kota", parent: String? = nil, domains: [String] = []) async throws
        -> ServiceReply
    {
        var fields: [(key: String, value: JSONValue)] = [
            ("slug", .string(slug)), ("name", .string(name ?? "KONI \(slug.capitalized)")), ("level", .string(level)),
            ("domains", .array(domains.map { .string($0) })),
        ]
        if let parent { fields.append(("parent_id", .string(parent))) }
        return try await jsonRequest(.post, "/api/v1/tenants", json: .object(fields), token: TestKeys.admin)
    }
}
