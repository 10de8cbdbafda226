import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import KoniSports
import PostgresNIO

extension GMSAPI {
    /// Scheduling matches and recording their results.
    func registerMatches(on api: RouterGroup<KoniRequestContext>) {
        api.post(":tenant/tournaments/:id/matches") { request, context in
            let branch = try managedBranch(context)
            let tournamentID = try id(context, "id", missing: Self.tournamentNotFound)
            let body = try await request.jsonBody(limit: 16 << 10)
            let match = try APIError.validating { () throws(FieldError) -> MatchRecord in
                let fields = try JSONFields(body)
                try fields.checkKeys(["round", "position", "scheduled_at", "venue", "home", "away"])
                guard let round = try fields.int("round"), (1...64).contains(round) else { throw fields.error("round", "a whole number from 1 to 64") }
                guard let position = try fields.int("position"), (1...4096).contains(position) else {
                    throw fields.error("position", "a whole number from 1 to 4096")
                }
                guard let when = RFC3339.date(try fields.requiredString("scheduled_at")) else {
                    throw fields.error("scheduled_at", "a time like 2026-12-05T09:00:00+07:00")
                }
                return MatchRecord(
                    id: UUID(), tenantID: branch.id, tournamentID: tournamentID, round: round, position: position, scheduledAt: when,
                    venue: try fields.line("venue", limit: 160, required: false) ?? "", status: .scheduled,
                    home: try Self.side(fields, "home"), away: try Self.side(fields, "away"), score: nil, winner: nil, externalID: nil, version: 1
                )
            }
            do {
                try await write { connection in
                    guard try await store.tournament(id: tournamentID, tenantID: branch.id, lock: true, on: connection) != nil else {
                        throw Self.tournamentNotFound
                    }
                    guard try await store.matchCount(tournamentID: tournamentID, on: connection) < Self.maximumMatches else {
                        throw APIError(.conflict, code: "too_many_matches", message: "a tournament has at most \(Self.maximumMatches) matches")
                    }
                    try await store.insert(match, on: connection)
                }
            } catch  where error.sqlState == "23505" {
                throw APIError(
                    .conflict, code: "slot_taken", message: "round \(match.round) already has a match at position \(match.position)", field: "position")
            }
            return Response.json(match.json, status: .created, headers: [.eTag: "\"\(match.version)\""])
        }
        api.post(":tenant/matches/:id/result") { request, context in
            let branch = try managedBranch(context)
            let matchID = try id(context, "id", missing: Self.matchNotFound)
            let body = try await request.jsonBody(limit: 64 << 10)
            let fields = try APIError.validating { () throws(FieldError) in
                let fields = try JSONFields(body)
                try fields.checkKeys(["score", "participants"])
                return fields
            }
            let (match, _) = try await write { connection -> (MatchRecord, Bool) in
                try await recordResult(fields, matchID: matchID, branch: branch, traceID: context.traceID, on: connection)
            }
            return Response.json(match.json, headers: [.eTag: "\"\(match.version)\""])
        }
    }

    /// Completes the match with `fields`' score and participants, in one transaction: the score
    /// and winner, each participant's statistics, the winner's place in the next knockout round,
    /// and `match.completed`. The same result sent again is answered as before and announced
    /// once; a different one for a completed match is a conflict (a correction is not a result).
    func recordResult(
        _ fields: JSONFields, matchID: UUID, branch: (slug: String, id: UUID), traceID: String, on connection: PostgresConnection
    ) async throws -> (MatchRecord, replay: Bool) {
        guard var match = try await store.match(id: matchID, tenantID: branch.id, lock: true, on: connection) else { throw Self.matchNotFound }
        guard let tournament = try await store.tournament(id: match.tournamentID, tenantID: branch.id, on: connection),
            let scoring = SportCatalog.scoring(tournament.sport), let rules = SportCatalog.sport(tournament.sport)
        else { throw Self.matchNotFound }
        let score = try APIError.validating { () throws(FieldError) -> MatchScore in
            guard let value = fields.value("score") else { throw fields.error("score", "is required") }
            return try scoring.read(value, knockout: tournament.format == .knockout)
        }
        switch match.status {
        case .completed:
            if MatchRecord.sameScore(match.score, score.json) { return (match, true) }
            throw APIError(.conflict, code: "match_completed", message: "the match is already completed with another score")
        case .cancelled:
            throw APIError(.conflict, code: "match_cancelled", message: "a cancelled match has no result")
        case .scheduled, .live:
            break
        }
        guard !match.home.name.isEmpty, !match.away.name.isEmpty else {
            throw APIError(.conflict, code: "sides_unknown", message: "both sides of the match must be known before its result")
        }
        let participants = try APIError.validating { () throws(FieldError) in try Self.participants(fields, match: match, rules: rules, score: score) }
        match.status = .completed
        match.score = score.json
        match.winner = score.winner
        try await store.update(match, on: connection)
        match.version += 1
        for participant in participants {
            try await store.insertParticipant(
                matchID: match.id, athleteID: participant.athleteID, side: participant.side, stats: participant.stats, on: connection)
        }
        if tournament.format == .knockout, let winner = score.winner {
            try await advance(match.side(winner), from: match, on: connection)
        }
        let announced = try await store.participants(matchID: match.id, on: connection)
        try await Outbox.add(
            GMSEvents.matchCompleted(match, tournament: tournament, participants: announced, tenantSlug: branch.slug, traceID: traceID),
            on: connection, logger: store.logger
        )
        return (match, false)
    }

    /// Puts a knockout winner into their slot of the next round, if that match exists and has
    /// not been played.
    func advance(_ winner: MatchRecord.Side, from match: MatchRecord, on connection: PostgresConnection) async throws {
        let next = KnockoutRounds.next(round: match.round, position: match.position)
        guard var following = try await store.match(tournamentID: match.tournamentID, round: next.round, position: next.position, lock: true, on: connection),
            following.status == .scheduled
        else { return }
        if next.home { following.home = winner } else { following.away = winner }
        try await store.update(following, on: connection)
    }

    struct Participant {
        var athleteID: UUID
        var side: MatchSide
        var stats: JSONValue
    }

    /// The result's `participants` (each athlete's statistics of this match, checked against the
    /// sport), plus the athlete of each side of a one-on-one match, who is counted a match and,
    /// if they won, a win by the sport's own keys.
    static func participants(_ fields: JSONFields, match: MatchRecord, rules: SportRules, score: MatchScore) throws(FieldError) -> [Participant] {
        var result: [Participant] = []
        let given = try fields.objectList("participants")
        guard given.count <= 100 else { throw fields.error("participants", "at most 100") }
        for entry in given {
            try entry.checkKeys(["athlete_id", "side", "stats"])
            guard let text = try entry.string("athlete_id"), let athleteID = UUID(uuidString: text) else {
                throw entry.error("athlete_id", "an athlete's id (UUID)")
            }
            guard let side = MatchSide(rawValue: try entry.requiredString("side")) else { throw entry.error("side", "home or away") }
            guard !result.contains(where: { $0.athleteID == athleteID }) else { throw entry.error("athlete_id", "named twice") }
            let stats = try rules.validate(try entry.freeObject("stats"), field: entry.field("stats"))
            result.append(Participant(athleteID: athleteID, side: side, stats: .object(stats.map { ($0.key, .number(Double($0.value))) })))
        }
        for side in MatchSide.allCases {
            guard let athleteID = match.side(side).athleteID, !result.contains(where: { $0.athleteID == athleteID }) else { continue }
            result.append(Participant(athleteID: athleteID, side: side, stats: .object(SportCatalog.resultStats(rules.code, won: score.winner == side))))
        }
        return result
    }

    static func side(_ fields: JSONFields, _ key: String) throws(FieldError) -> MatchRecord.Side {
        guard let side = try fields.object(key) else { return MatchRecord.Side(name: "", athleteID: nil) }
        try side.checkKeys(["name", "athlete_id"])
        let name = try side.line("name", limit: 120, required: true) ?? ""
        var athleteID: UUID?
        if let text = try side.string("athlete_id") {
            guard let id = UUID(uuidString: text) else { throw side.error("athlete_id", "an athlete's id (UUID)") }
            athleteID = id
        }
        return MatchRecord.Side(name: name, athleteID: athleteID)
    }
}
