import Foundation
import KoniJSON
import KoniSports
import Logging
import PostgresNIO

/// SQL for sports, teams and athletes. Every athlete statement names its branch.
struct AthleteStore: Sendable {
    let logger: Logger

    static let columns = """
        id, tenant_id, slug, user_id, guardian_user_id, full_name, birth_date::text, gender, phone, address, sport_code, club, team_id, photo, \
        achievements, stats::text, featured, version
        """

    func records(_ rows: PostgresRowSequence) async throws -> [AthleteRecord] {
        var result: [AthleteRecord] = []
        for try await row in rows { result.append(try Self.record(row)) }
        return result
    }

    /// An athlete from a row of `columns`.
    static func record(_ row: PostgresRow) throws -> AthleteRecord {
        let cells = row.makeRandomAccess()
        let statsText = try cells["stats"].decode(String.self)
        var stats: [(key: String, value: Int)] = []
        if case .object(let pairs) = try JSONValue.parse(statsText) {
            for (key, value) in pairs { if case .number(let number) = value { stats.append((key, Int(number))) } }
        }
        return AthleteRecord(
            id: try cells["id"].decode(UUID.self), tenantID: try cells["tenant_id"].decode(UUID.self), slug: try cells["slug"].decode(String.self),
            userID: try cells["user_id"].decode(String?.self), guardianUserID: try cells["guardian_user_id"].decode(String?.self),
            fullName: try cells["full_name"].decode(String.self), birthDate: try cells["birth_date"].decode(String.self),
            gender: try cells["gender"].decode(String.self), phone: try cells["phone"].decode(String.self), address: try cells["address"].decode(String.self),
            sport: try cells["sport_code"].decode(String.self), club: try cells["club"].decode(String.self), teamID: try cells["team_id"].decode(UUID?.self),
            photo: try cells["photo"].decode(String.self), achievements: try cells["achievements"].decode([String].self), stats: stats,
            featured: try cells["featured"].decode(Bool.self),
            version: try cells["version"].decode(Int.self)
        )
    }

    func sports(on connection: PostgresConnection) async throws -> [SportRules] {
        var result: [SportRules] = []
        let rows = try await connection.query("SELECT code, name, stats::text FROM sports ORDER BY code", logger: logger)
        for try await (code, name, statsText) in rows.decode((String, String, String).self) {
            var fields: [SportRules.Field] = []
            if case .array(let items) = try JSONValue.parse(statsText) {
                for item in items {
                    if case .string(let key)? = item["key"], case .number(let maximum)? = item["max"] { fields.append(.init(key: key, maximum: Int(maximum))) }
                }
            }
            result.append(SportRules(code: code, name: name, fields: fields))
        }
        return result
    }

    func insert(_ athlete: AthleteRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO athletes (id, tenant_id, slug, user_id, guardian_user_id, full_name, birth_date, gender, phone, address, sport_code, club, team_id,
                                  photo, achievements, stats, featured)
            VALUES (\(athlete.id), \(athlete.tenantID), \(athlete.slug), \(athlete.userID), \(athlete.guardianUserID), \(athlete.fullName),
                    \(athlete.birthDate)::date, \(athlete.gender), \(athlete.phone), \(athlete.address), \(athlete.sport), \(athlete.club), \(athlete.teamID),
                    \(athlete.photo), \(athlete.achievements), \(athlete.statsJSON.jsonText)::jsonb, \(athlete.featured))
            """,
            logger: logger
        )
    }

    func update(_ athlete: AthleteRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE athletes SET user_id = \(athlete.userID), guardian_user_id = \(athlete.guardianUserID), full_name = \(athlete.fullName),
                birth_date = \(athlete.birthDate)::date, gender = \(athlete.gender), phone = \(athlete.phone), address = \(athlete.address),
                sport_code = \(athlete.sport), club = \(athlete.club), team_id = \(athlete.teamID), photo = \(athlete.photo),
                achievements = \(athlete.achievements), stats = \(athlete.statsJSON.jsonText)::jsonb, featured = \(athlete.featured),
                version = version + 1, updated_at = now()
            WHERE id = \(athlete.id) AND tenant_id = \(athlete.tenantID)
            """,
            logger: logger
        )
    }

    func athlete(id: UUID, tenantID: UUID?, lock: Bool = false, on connection: PostgresConnection) async throws -> AthleteRecord? {
        if let tenantID {
            return try await records(
                try await connection.query(
                    "SELECT \(unescaped: Self.columns) FROM athletes WHERE id = \(id) AND tenant_id = \(tenantID)\(unescaped: lock ? " FOR UPDATE" : "")",
                    logger: logger
                )
            ).first
        }
        return try await records(
            try await connection.query(
                "SELECT \(unescaped: Self.columns) FROM athletes WHERE id = \(id)\(unescaped: lock ? " FOR UPDATE" : "")", logger: logger)
        ).first
    }

    func athlete(slug: String, tenantID: UUID, on connection: PostgresConnection) async throws -> AthleteRecord? {
        try await records(
            try await connection.query("SELECT \(unescaped: Self.columns) FROM athletes WHERE slug = \(slug) AND tenant_id = \(tenantID)", logger: logger)
        ).first
    }

    /// A branch's athletes whose names look like `query` (trigram similarity, typos forgiven),
    /// most alike first; without a query, by name. See AthleteStore+Search.
    func search(tenantID: UUID, query: String?, limit: Int, offset: Int, on connection: PostgresConnection) async throws -> [AthleteRecord] {
        guard let query, !query.isEmpty else {
            return try await records(
                try await connection.query(
                    "SELECT \(unescaped: Self.columns) FROM athletes WHERE tenant_id = \(tenantID) ORDER BY full_name, id LIMIT \(limit) OFFSET \(offset)",
                    logger: logger
                )
            )
        }
        // One way per query and page size, so that pages follow each other (each choice is the
        // same for every offset): the words path when it fills the first page (its list ends where
        // its candidates end); for one word the words path does not answer at all, the names
        // holding a word like it when there are any; else the nearest names. (The split here only
        // spares a statement: the one-word SQL counts the words itself and finds none for more.)
        let found = try await searchByWords(tenantID: tenantID, query: query, limit: offset + limit, on: connection)
        if found.count >= limit { return Array(found.dropFirst(offset).prefix(limit)) }
        if found.isEmpty, query.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).count == 1 {
            let named = try await searchByOneWord(tenantID: tenantID, query: query, limit: offset + limit, on: connection)
            if !named.isEmpty { return Array(named.dropFirst(offset).prefix(limit)) }
        }
        return try await searchNearest(tenantID: tenantID, query: query, limit: limit, offset: offset, on: connection)
    }

    /// A branch's athletes by slug, at most `limit`.
    func all(tenantID: UUID, limit: Int, on connection: PostgresConnection) async throws -> [AthleteRecord] {
        try await records(
            try await connection.query(
                "SELECT \(unescaped: Self.columns) FROM athletes WHERE tenant_id = \(tenantID) ORDER BY slug LIMIT \(limit)", logger: logger
            )
        )
    }

    func teamNames(tenantID: UUID, on connection: PostgresConnection) async throws -> [UUID: String] {
        var names: [UUID: String] = [:]
        for try await (id, name) in try await connection.query("SELECT id, name FROM teams WHERE tenant_id = \(tenantID) LIMIT 10000", logger: logger)
            .decode((UUID, String).self)
        { names[id] = name }
        return names
    }

    func createTeam(id: UUID, tenantID: UUID, sport: String, slug: String, name: String, officials: [String], on connection: PostgresConnection) async throws {
        try await connection.query(
            "INSERT INTO teams (id, tenant_id, sport_code, slug, name) VALUES (\(id), \(tenantID), \(sport), \(slug), \(name))", logger: logger
        )
        for official in officials {
            try await connection.query("INSERT INTO team_officials (team_id, user_id) VALUES (\(id), \(official)) ON CONFLICT DO NOTHING", logger: logger)
        }
    }

    func teamName(_ id: UUID, on connection: PostgresConnection) async throws -> String? {
        for try await name in try await connection.query("SELECT name FROM teams WHERE id = \(id)", logger: logger).decode(String.self) { return name }
        return nil
    }

    func team(_ id: UUID, tenantID: UUID, on connection: PostgresConnection) async throws -> String? {
        for try await sport in try await connection.query("SELECT sport_code FROM teams WHERE id = \(id) AND tenant_id = \(tenantID)", logger: logger)
            .decode(String.self)
        { return sport }
        return nil
    }

    func isOfficial(_ userID: String, of teamID: UUID, on connection: PostgresConnection) async throws -> Bool {
        for try await _ in try await connection.query("SELECT 1 FROM team_officials WHERE team_id = \(teamID) AND user_id = \(userID)", logger: logger) {
            return true
        }
        return false
    }

    /// Records that `matchID` was counted for `athleteID`; false when it already was.
    func countMatch(_ matchID: String, athleteID: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "INSERT INTO counted_matches (match_id, athlete_id) VALUES (\(matchID), \(athleteID)) ON CONFLICT DO NOTHING RETURNING 1", logger: logger
        )
        for try await _ in rows { return true }
        return false
    }
}
