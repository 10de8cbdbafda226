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

    /// The pool's settings for `postgres://user:password@host:port/database[?sslmode=…&sslrootcert=…]`.
    ///
    /// `sslmode` follows libpq's names, never silently weaker: `disable` (the default) is
    /// plaintext; `prefer` tries TLS first; `require` and `verify-ca` insist on TLS with the
    /// server's certificate chain verified (stricter than libpq's `require`, which verifies
    /// nothing); `verify-full` also checks the host name. `sslrootcert` names the CA file. Any
    /// other mode (`allow`) or parameter is an error naming it.
    public static func configuration(url: String) throws(ConfigurationError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError(setting: "database-url", reason: "is not a postgres://user:password@host:port/database URL")
        }
        let setting = try DatabaseTLSSetting(queryItems: components.queryItems ?? [])
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        tlsConfiguration.certificateVerification = setting.verification
        if let root = setting.rootCertificate { tlsConfiguration.trustRoots = .file(root) }
        let tls: PostgresClient.Configuration.TLS =
            switch setting.mode {
            case .disable: .disable
            case .prefer: .prefer(tlsConfiguration)
            case .require: .require(tlsConfiguration)
            }
        let database = String(components.path.drop { $0 == "/" })
        return PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres", password: components.password,
            database: database.isEmpty ? nil : database, tls: tls
        )
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws, and
    /// the thrown error is the one `body` threw.
    public func transaction<Result: Sendable>(
        _ mode: TransactionMode = .readWrite, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in
            try await connection.query(PostgresQuery(unsafeSQL: mode.begin), logger: logger)
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

/// How a transaction begins.
public enum TransactionMode: Sendable {
    /// PostgreSQL's default, READ COMMITTED.
    case readWrite
    /// One snapshot for every statement, writes refused: for a reader whose queries must agree
    /// with each other (a cursor and the rows it covers).
    case readOnlySnapshot

    var begin: String {
        switch self {
        case .readWrite: "BEGIN"
        case .readOnlySnapshot: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        }
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

extension Migrator {
    /// What a service runs before it accepts requests: the migrations, then `/readyz` opens; when
    /// they fail, readiness stays closed, the failure is logged as critical and the start fails.
    public static func startupStep(database: Database, migrations: [Migration], ready: ReadyGate, logger: Logger) -> @Sendable () async throws -> Void {
        {
            do {
                try await Migrator(database: database, migrations: migrations).run()
                ready.open()
            } catch {
                ready.open(false)
                logger.critical("migrations failed; not starting", metadata: ["error": .string(String(reflecting: error))])
                throw error
            }
        }
    }
}

/// What a database URL's `sslmode` and `sslrootcert` ask for, in libpq's names and never weaker.
public struct DatabaseTLSSetting: Sendable, Equatable {
    public enum Mode: Sendable, Equatable {
        case disable
        case prefer
        case require
    }

    public var mode: Mode = .disable
    public var verification: CertificateVerification = .fullVerification
    public var rootCertificate: String?

    public init(mode: Mode, verification: CertificateVerification = .fullVerification, rootCertificate: String? = nil) {
        self.mode = mode
        self.verification = verification
        self.rootCertificate = rootCertificate
    }

    /// Reads `sslmode` (disable, prefer, require, verify-ca, verify-full) and `sslrootcert`;
    /// any other mode or parameter is an error naming it.
    public init(queryItems: [URLQueryItem]) throws(ConfigurationError) {
        for item in queryItems {
            switch item.name {
            case "sslmode":
                switch item.value ?? "" {
                case "disable": mode = .disable
                case "prefer": mode = .prefer
                case "require", "verify-ca":
                    mode = .require
                    verification = .noHostnameVerification
                case "verify-full":
                    mode = .require
                    verification = .fullVerification
                default:
                    throw ConfigurationError(
                        setting: "database-url", reason: "has sslmode '\(item.value ?? "")'; use disable, prefer, require, verify-ca or verify-full")
                }
            case "sslrootcert":
                if let value = item.value, !value.isEmpty { rootCertificate = value }
            default:
                throw ConfigurationError(setting: "database-url", reason: "has the parameter '\(item.name)'; only sslmode and sslrootcert are understood")
            }
        }
    }
}

extension Error {
    /// The SQLSTATE of a PostgreSQL error (`23505` unique violation), if it is one.
    public var sqlState: String? { (self as? PSQLError)?.serverInfo?[.sqlState] }
}
