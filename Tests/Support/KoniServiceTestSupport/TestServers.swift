import Foundation
import KoniServiceKit
import KoniTestSupport
import PostgresNIO

/// The real servers `scripts/test` starts (`scripts/services start postgres rabbitmq redis`).
package enum TestServers {
    package static var postgresURL: String { get throws { try TestEnvironment.postgresURL } }
    package static var amqpURL: String { get throws { try TestEnvironment.amqpURL } }
    package static var redisURL: String { get throws { try TestEnvironment.redisURL } }

    /// A new empty database `<prefix>_<random>` on the test server; its URL.
    package static func makeDatabase(prefix: String = "cms_test") async throws -> String {
        let adminURL = try postgresURL
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        let client = PostgresClient(configuration: try Database.configuration(url: adminURL))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
            group.cancelAll()
        }
        guard var components = URLComponents(string: adminURL) else { throw TestSetupError("bad KONI_TEST_POSTGRES_URL") }
        components.path = "/\(name)"
        return components.string ?? adminURL
    }
}

extension TestServers {
    /// The rows of `sql` on the database at `url` (to check what a service stored).
    package static func query<Row: Sendable & PostgresDecodable>(_ sql: String, on url: String, as: Row.Type) async throws -> [Row] {
        let client = PostgresClient(configuration: try Database.configuration(url: url))
        return try await withThrowingTaskGroup(of: [Row].self) { group in
            group.addTask {
                await client.run(); return []
            }
            var result: [Row] = []
            for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Row.self) { result.append(value) }
            group.cancelAll()
            return result
        }
    }
}

/// The service tests' name for a setup failure (a missing server, a broker that did not answer).
package typealias TestSetupError = TestEnvironmentError
