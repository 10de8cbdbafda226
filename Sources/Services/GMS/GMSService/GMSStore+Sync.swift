import Foundation
import KoniJSON
import PostgresNIO

/// Where a sync stopped (per source, per tournament), the external records it keeps, and its log.
extension GMSStore {
    /// A position in a provider's list: the `updated_since` of the next full pass, the cursor of a
    /// pass under way, and the latest `updated_at` the pass has seen.
    struct SyncPosition: Sendable, Equatable {
        var since: String?
        var cursor: String?
        var seenUntil: String?

        /// The position after a page: the next page's cursor, or, after the last page, the next
        /// pass from the latest update seen (inclusive, so an item updated in the same
        /// millisecond as the last one read is read again rather than missed).
        func after(nextCursor: String?, latestUpdate: String?) -> SyncPosition {
            let seen = [seenUntil, latestUpdate].compactMap { $0 }.max { (RFC3339.date($0) ?? .distantPast) < (RFC3339.date($1) ?? .distantPast) }
            if let nextCursor { return SyncPosition(since: since, cursor: nextCursor, seenUntil: seen) }
            return SyncPosition(since: seen ?? since, cursor: nil, seenUntil: nil)
        }
    }

    func tournamentsPosition(source: String, on connection: PostgresConnection) async throws -> SyncPosition {
        let rows = try await connection.query(
            "SELECT tournaments_since, tournaments_cursor, tournaments_seen_until FROM gms_sync_state WHERE source = \(source)", logger: logger
        )
        for try await (since, cursor, seen) in rows.decode((String?, String?, String?).self) {
            return SyncPosition(since: since, cursor: cursor, seenUntil: seen)
        }
        return SyncPosition()
    }

    func saveTournamentsPosition(_ position: SyncPosition, source: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO gms_sync_state (source, tournaments_since, tournaments_cursor, tournaments_seen_until)
            VALUES (\(source), \(position.since), \(position.cursor), \(position.seenUntil))
            ON CONFLICT (source) DO UPDATE SET tournaments_since = excluded.tournaments_since, tournaments_cursor = excluded.tournaments_cursor,
                tournaments_seen_until = excluded.tournaments_seen_until
            """,
            logger: logger
        )
    }

    /// The synced tournaments of `source` whose matches are due to be read, with their matches'
    /// positions, by external id (a run reads at most a budget of them; the rest stay due).
    func syncedTournaments(source: String, on connection: PostgresConnection) async throws -> [(externalID: String, tournamentID: UUID, position: SyncPosition)]
    {
        var result: [(externalID: String, tournamentID: UUID, position: SyncPosition)] = []
        let rows = try await connection.query(
            """
            SELECT external_id, tournament_id, matches_since, matches_cursor, matches_seen_until FROM gms_sync_tournaments
            WHERE source = \(source) AND matches_due ORDER BY external_id LIMIT 10000
            """,
            logger: logger
        )
        for try await (external, id, since, cursor, seen) in rows.decode((String, UUID, String?, String?, String?).self) {
            result.append((external, id, SyncPosition(since: since, cursor: cursor, seenUntil: seen)))
        }
        return result
    }

    func saveMatchesPosition(_ position: SyncPosition, source: String, externalID: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE gms_sync_tournaments SET matches_since = \(position.since), matches_cursor = \(position.cursor), matches_seen_until = \(position.seenUntil),
                matches_due = \(position.cursor != nil)
            WHERE source = \(source) AND external_id = \(externalID)
            """,
            logger: logger
        )
    }

    func externalTournament(source: String, externalID: String, lock: Bool, on connection: PostgresConnection) async throws -> TournamentRecord? {
        try await tournaments(
            try await connection.query(
                """
                SELECT \(unescaped: Self.tournamentColumns) FROM tournaments WHERE external_source = \(source) AND external_id = \(externalID)\
                \(unescaped: lock ? " FOR UPDATE" : "")
                """,
                logger: logger
            )
        ).first
    }

    func followTournament(_ tournament: TournamentRecord, source: String, externalID: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO gms_sync_tournaments (source, external_id, tournament_id) VALUES (\(source), \(externalID), \(tournament.id))
            ON CONFLICT (source, external_id) DO UPDATE SET matches_due = true
            """,
            logger: logger
        )
    }

    /// Also writes a synced tournament's sport and format, which a provider may correct.
    func updateExternal(_ tournament: TournamentRecord, on connection: PostgresConnection) async throws {
        try await update(tournament, on: connection)
        try await connection.query(
            "UPDATE tournaments SET sport_code = \(tournament.sport), format = \(tournament.format.rawValue) WHERE id = \(tournament.id)", logger: logger
        )
    }

    func externalMatch(tournamentID: UUID, externalID: String, on connection: PostgresConnection) async throws -> MatchRecord? {
        try await matches(
            try await connection.query(
                "SELECT \(unescaped: Self.matchColumns) FROM matches WHERE tournament_id = \(tournamentID) AND external_id = \(externalID) FOR UPDATE",
                logger: logger
            )
        ).first
    }

    // MARK: The log

    struct SyncCounts: Sendable, Equatable {
        var requests = 0
        var retries = 0
        var pages = 0
        var tournaments = 0
        var matches = 0
        var refused = 0
        var waitedMilliseconds: Int64 = 0
    }

    func startSyncLog(source: String, on connection: PostgresConnection) async throws -> Int64? {
        for try await id in try await connection.query(
            "INSERT INTO gms_sync_logs (source, status) VALUES (\(source), 'running') RETURNING id", logger: logger
        ).decode(Int64.self) { return id }
        return nil
    }

    func finishSyncLog(_ id: Int64, status: String, counts: SyncCounts, error: String?, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE gms_sync_logs SET finished_at = now(), status = \(status), requests = \(counts.requests), retries = \(counts.retries),
                pages = \(counts.pages), tournaments = \(counts.tournaments), matches = \(counts.matches), refused = \(counts.refused),
                waited_ms = \(counts.waitedMilliseconds), error = \(error)
            WHERE id = \(id)
            """,
            logger: logger
        )
    }
}
