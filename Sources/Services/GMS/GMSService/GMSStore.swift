import Foundation
import KoniJSON
import KoniSports
import Logging
import PostgresNIO

/// SQL for tournaments, matches and participants. Every statement a request makes names its
/// branch; the sync's statements are in `GMSStore+Sync.swift`.
struct GMSStore: Sendable {
    let logger: Logger

    static let tournamentColumns = """
        id, tenant_id, slug, name, sport_code, format, starts_on::text, ends_on::text, venue, external_source, external_id, version
        """
    static let matchColumns = """
        id, tenant_id, tournament_id, round, position, scheduled_at, venue, status, home_name, away_name, home_athlete_id, away_athlete_id, \
        score::text, winner, external_id, version
        """

    func tournaments(_ rows: PostgresRowSequence) async throws -> [TournamentRecord] {
        var result: [TournamentRecord] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            result.append(
                TournamentRecord(
                    id: try cells["id"].decode(UUID.self), tenantID: try cells["tenant_id"].decode(UUID.self), slug: try cells["slug"].decode(String.self),
                    name: try cells["name"].decode(String.self), sport: try cells["sport_code"].decode(String.self),
                    format: TournamentRecord.Format(rawValue: try cells["format"].decode(String.self)) ?? .league,
                    startsOn: try cells["starts_on"].decode(String.self), endsOn: try cells["ends_on"].decode(String.self),
                    venue: try cells["venue"].decode(String.self), externalSource: try cells["external_source"].decode(String?.self),
                    externalID: try cells["external_id"].decode(String?.self), version: try cells["version"].decode(Int.self)
                )
            )
        }
        return result
    }

    func matches(_ rows: PostgresRowSequence) async throws -> [MatchRecord] {
        var result: [MatchRecord] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            let scoreText = try cells["score"].decode(String?.self)
            result.append(
                MatchRecord(
                    id: try cells["id"].decode(UUID.self), tenantID: try cells["tenant_id"].decode(UUID.self),
                    tournamentID: try cells["tournament_id"].decode(UUID.self), round: try cells["round"].decode(Int.self),
                    position: try cells["position"].decode(Int.self), scheduledAt: try cells["scheduled_at"].decode(Date.self),
                    venue: try cells["venue"].decode(String.self), status: MatchRecord.Status(rawValue: try cells["status"].decode(String.self)) ?? .scheduled,
                    home: .init(name: try cells["home_name"].decode(String.self), athleteID: try cells["home_athlete_id"].decode(UUID?.self)),
                    away: .init(name: try cells["away_name"].decode(String.self), athleteID: try cells["away_athlete_id"].decode(UUID?.self)),
                    score: try scoreText.map { try JSONValue.parse($0) }, winner: (try cells["winner"].decode(String?.self)).flatMap(MatchSide.init(rawValue:)),
                    externalID: try cells["external_id"].decode(String?.self), version: try cells["version"].decode(Int.self)
                )
            )
        }
        return result
    }

    // MARK: Tournaments

    func insert(_ tournament: TournamentRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO tournaments (id, tenant_id, slug, name, sport_code, format, starts_on, ends_on, venue, external_source, external_id)
            VALUES (\(tournament.id), \(tournament.tenantID), \(tournament.slug), \(tournament.name), \(tournament.sport), \(tournament.format.rawValue),
                    \(tournament.startsOn)::date, \(tournament.endsOn)::date, \(tournament.venue), \(tournament.externalSource), \(tournament.externalID))
            """,
            logger: logger
        )
    }

    func update(_ tournament: TournamentRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE tournaments SET name = \(tournament.name), starts_on = \(tournament.startsOn)::date, ends_on = \(tournament.endsOn)::date,
                venue = \(tournament.venue), version = version + 1, updated_at = now()
            WHERE id = \(tournament.id) AND tenant_id = \(tournament.tenantID)
            """,
            logger: logger
        )
    }

    func tournament(id: UUID, tenantID: UUID, lock: Bool = false, on connection: PostgresConnection) async throws -> TournamentRecord? {
        try await tournaments(
            try await connection.query(
                "SELECT \(unescaped: Self.tournamentColumns) FROM tournaments WHERE id = \(id) AND tenant_id = \(tenantID)\(unescaped: lock ? " FOR UPDATE" : "")",
                logger: logger
            )
        ).first
    }

    func tournament(slug: String, tenantID: UUID, on connection: PostgresConnection) async throws -> TournamentRecord? {
        try await tournaments(
            try await connection.query(
                "SELECT \(unescaped: Self.tournamentColumns) FROM tournaments WHERE slug = \(slug) AND tenant_id = \(tenantID)", logger: logger
            )
        ).first
    }

    /// A branch's tournaments, the latest first, at most `limit`.
    func tournaments(tenantID: UUID, limit: Int, on connection: PostgresConnection) async throws -> [TournamentRecord] {
        try await tournaments(
            try await connection.query(
                "SELECT \(unescaped: Self.tournamentColumns) FROM tournaments WHERE tenant_id = \(tenantID) ORDER BY starts_on DESC, slug LIMIT \(limit)",
                logger: logger
            )
        )
    }

    // MARK: Matches

    func insert(_ match: MatchRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO matches (id, tenant_id, tournament_id, round, position, scheduled_at, venue, status, home_name, away_name, home_athlete_id,
                                 away_athlete_id, score, winner, external_id)
            VALUES (\(match.id), \(match.tenantID), \(match.tournamentID), \(match.round), \(match.position), \(match.scheduledAt), \(match.venue),
                    \(match.status.rawValue), \(match.home.name), \(match.away.name), \(match.home.athleteID), \(match.away.athleteID),
                    \(match.score?.jsonText)::jsonb, \(match.winner?.rawValue), \(match.externalID))
            """,
            logger: logger
        )
    }

    /// Writes a match's status, sides, score and winner, and counts a version.
    func update(_ match: MatchRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE matches SET scheduled_at = \(match.scheduledAt), venue = \(match.venue), status = \(match.status.rawValue),
                home_name = \(match.home.name), away_name = \(match.away.name), home_athlete_id = \(match.home.athleteID),
                away_athlete_id = \(match.away.athleteID), score = \(match.score?.jsonText)::jsonb, winner = \(match.winner?.rawValue),
                completed_at = CASE WHEN \(match.status.rawValue) = 'completed' THEN coalesce(completed_at, now()) END,
                version = version + 1, updated_at = now()
            WHERE id = \(match.id) AND tenant_id = \(match.tenantID)
            """,
            logger: logger
        )
    }

    func match(id: UUID, tenantID: UUID, lock: Bool = false, on connection: PostgresConnection) async throws -> MatchRecord? {
        try await matches(
            try await connection.query(
                "SELECT \(unescaped: Self.matchColumns) FROM matches WHERE id = \(id) AND tenant_id = \(tenantID)\(unescaped: lock ? " FOR UPDATE" : "")",
                logger: logger
            )
        ).first
    }

    func match(tournamentID: UUID, round: Int, position: Int, lock: Bool, on connection: PostgresConnection) async throws -> MatchRecord? {
        try await matches(
            try await connection.query(
                """
                SELECT \(unescaped: Self.matchColumns) FROM matches WHERE tournament_id = \(tournamentID) AND round = \(round) AND position = \(position)\
                \(unescaped: lock ? " FOR UPDATE" : "")
                """,
                logger: logger
            )
        ).first
    }

    func matchCount(tournamentID: UUID, on connection: PostgresConnection) async throws -> Int {
        for try await count in try await connection.query("SELECT count(*)::int FROM matches WHERE tournament_id = \(tournamentID)", logger: logger)
            .decode(Int.self)
        { return count }
        return 0
    }

    /// A tournament's matches by round and slot (at most ``GMSAPI/maximumMatches``).
    func matches(tournamentID: UUID, on connection: PostgresConnection) async throws -> [MatchRecord] {
        try await matches(
            try await connection.query(
                "SELECT \(unescaped: Self.matchColumns) FROM matches WHERE tournament_id = \(tournamentID) ORDER BY round, position LIMIT 5000",
                logger: logger
            )
        )
    }

    /// The matches an athlete of the branch played or will play (a side, or a player of a side),
    /// the latest first.
    func matches(athleteID: UUID, tenantID: UUID, limit: Int, on connection: PostgresConnection) async throws -> [(MatchRecord, TournamentRecord)] {
        let found = try await matches(
            try await connection.query(
                """
                SELECT \(unescaped: Self.matchColumns) FROM matches m WHERE tenant_id = \(tenantID)
                  AND (home_athlete_id = \(athleteID) OR away_athlete_id = \(athleteID)
                       OR EXISTS (SELECT 1 FROM match_participants p WHERE p.match_id = m.id AND p.athlete_id = \(athleteID)))
                ORDER BY scheduled_at DESC, id LIMIT \(limit)
                """,
                logger: logger
            )
        )
        var result: [(MatchRecord, TournamentRecord)] = []
        for match in found {
            if let tournament = try await tournament(id: match.tournamentID, tenantID: tenantID, on: connection) { result.append((match, tournament)) }
        }
        return result
    }

    /// The athletes who played each match of a tournament, by match.
    func players(tournamentID: UUID, on connection: PostgresConnection) async throws -> [UUID: [UUID]] {
        var result: [UUID: [UUID]] = [:]
        let rows = try await connection.query(
            """
            SELECT p.match_id, p.athlete_id FROM match_participants p JOIN matches m ON m.id = p.match_id
            WHERE m.tournament_id = \(tournamentID) ORDER BY p.match_id, p.athlete_id LIMIT 500000
            """,
            logger: logger
        )
        for try await (match, athlete) in rows.decode((UUID, UUID).self) { result[match, default: []].append(athlete) }
        return result
    }

    func insertParticipant(matchID: UUID, athleteID: UUID, side: MatchSide, stats: JSONValue, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO match_participants (match_id, athlete_id, side, stats) VALUES (\(matchID), \(athleteID), \(side.rawValue), \(stats.jsonText)::jsonb)
            """,
            logger: logger
        )
    }

    /// A match's participants with their statistics, as `match.completed` announces them.
    func participants(matchID: UUID, on connection: PostgresConnection) async throws -> [JSONValue] {
        var result: [JSONValue] = []
        let rows = try await connection.query(
            "SELECT athlete_id, side, stats::text FROM match_participants WHERE match_id = \(matchID) ORDER BY side, athlete_id", logger: logger
        )
        for try await (athleteID, side, stats) in rows.decode((UUID, String, String).self) {
            result.append(
                .object([("athlete_id", .string(athleteID.uuidString.lowercased())), ("side", .string(side)), ("stats", try JSONValue.parse(stats))]))
        }
        return result
    }
}
