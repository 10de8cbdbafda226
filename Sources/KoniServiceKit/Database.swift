import Foundation
import Logging
import PostgresNIO

/// A service's PostgreSQL database: the connection pool (a `Service` to run in the group) and
/// transactions that rethrow the caller's own error, so that an ``APIError`` thrown inside a
/// transaction still reaches the client after the rollback.
public struct Database: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// A pool for `url` (`postgres://user:password@host:port/database`).
    public init(url: String, logger: Logger, maximumConnections: Int = 20) throws(ConfigurationError) {
        var configuration = try Self.configuration(url: url)
        configuration.options.maximumConnections = maximumConnections
        self.init(client: PostgresClient(configuration: configuration, backgroundLogger: logger), logger: logger)
    }

    public static func configuration(url: String) throws(ConfigurationError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError(setting: "database-url", reason: "'\(url)' is not a postgres://user:password@host:port/database URL")
        }
        let database = String(components.path.drop { $0 == "/" })
        let tls: PostgresClient.Configuration.TLS = components.queryItems?.contains { $0.name == "sslmode" && $0.value == "require" } == true
            ? .require(.makeClientConfiguration()) : .disable
        return PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres", password: components.password,
            database: database.isEmpty ? nil : database, tls: tls
        )
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws, and
    /// the thrown error is the one `body` threw.
    public func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            let result: Result
            do {
                result = try await body(connection)
            } catch {
                do { try await connection.query("ROLLBACK", logger: logger) } catch {
                    logger.error("rollback failed", metadata: ["error": .string(String(reflecting: error))])
                }
                throw error
            }
            try await connection.query("COMMIT", logger: logger)
            return result
        }
    }

    /// Whether the database answers (`/readyz`).
    public func isReachable() async -> Bool {
        do {
            try await client.query("SELECT 1", logger: logger)
            return true
        } catch {
            return false
        }
    }
}

/// One versioned step of a service's schema.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    /// Statements run in order inside one transaction.
    public var statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// Applies migrations at start: a `schema_migrations` table records each applied version;
/// each migration runs in its own transaction, under an advisory lock so that two instances
/// starting together do not both apply it.
public struct Migrator: Sendable {
    public let database: Database
    public let migrations: [Migration]

    public init(database: Database, migrations: [Migration]) {
        self.database = database
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies what is missing; returns the versions applied now.
    @discardableResult
    public func run() async throws -> [Int] {
        let logger = database.logger
        try await database.client.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
            logger: logger
        )
        var applied: [Int] = []
        for migration in migrations {
            let didApply = try await database.transaction { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(7263001)", logger: logger)
                let rows = try await connection.query("SELECT 1 FROM schema_migrations WHERE version = \(migration.version)", logger: logger)
                for try await _ in rows { return false }
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))", logger: logger
                )
                return true
            }
            if didApply {
                logger.info("migration applied", metadata: ["version": .stringConvertible(migration.version), "name": .string(migration.name)])
                applied.append(migration.version)
            }
        }
        return applied
    }
}
