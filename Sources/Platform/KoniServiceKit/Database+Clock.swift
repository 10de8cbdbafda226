import Logging
import PostgresNIO

extension Database {
    /// The database's clock in microseconds: the `as_of` of an export read in a snapshot, so
    /// that a reader of two exports keeps the newer (one server's clock orders them).
    public static func clockMicroseconds(on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        for try await value in try await connection.query("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint", logger: logger)
            .decode(Int64.self)
        { return value }
        return 0
    }
}
