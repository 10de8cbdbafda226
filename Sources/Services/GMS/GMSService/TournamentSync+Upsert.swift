import ComproModel
import Crypto
import Foundation
import KoniJSON
import KoniServiceKit
import KoniSports
import PostgresNIO

extension SyncRun {
    /// Writes a provider's tournament; true when something changed (and was announced).
    func upsert(_ item: ProviderTournament, on connection: PostgresConnection) async throws -> Bool {
        if var existing = try await store.externalTournament(source: source, externalID: item.id, lock: true, on: connection) {
            try await store.followTournament(existing, source: source, externalID: item.id, on: connection)
            let before = existing
            existing.name = item.name
            existing.sport = item.sport
            existing.format = item.format
            existing.startsOn = item.startsOn
            existing.endsOn = item.endsOn
            guard
                existing.name != before.name || existing.sport != before.sport || existing.format != before.format
                    || existing.startsOn != before.startsOn || existing.endsOn != before.endsOn
            else { return false }
            if existing.sport != before.sport || existing.format != before.format {
                // Scores kept under the old rules must hold under the new ones, or every page of
                // the branch would stop building: the change is refused and logged instead.
                guard let scoring = SportCatalog.scoring(existing.sport) else { throw FieldError(field: "sport", reason: "\(existing.sport) has no matches") }
                for match in try await store.matches(tournamentID: existing.id, on: connection) where match.status == .completed {
                    guard let score = match.score else { continue }
                    do { _ = try scoring.read(score, knockout: existing.format == .knockout) } catch {
                        throw FieldError(
                            field: "format",
                            reason:
                                "the stored result of round \(match.round) slot \(match.position) does not fit \(existing.sport) \(existing.format.rawValue): \(error.reason)"
                        )
                    }
                }
            }
            try await store.updateExternal(existing, on: connection)
            existing.version += 1
            try await Outbox.add(
                GMSEvents.tournament(.tournamentUpdated, existing, tenantSlug: sync.settings.tenantSlug, traceID: traceID), on: connection, logger: store.logger
            )
            return true
        }
        var slug = Self.slug(for: item.id)
        if try await store.tournament(slug: slug, tenantID: tenantID, on: connection) != nil { slug = Self.slug(for: item.id, hashed: true) }
        let tournament = TournamentRecord(
            id: UUID(), tenantID: tenantID, slug: slug, name: item.name, sport: item.sport, format: item.format, startsOn: item.startsOn, endsOn: item.endsOn,
            venue: "", externalSource: source, externalID: item.id, version: 1
        )
        try await store.insert(tournament, on: connection)
        try await store.followTournament(tournament, source: source, externalID: item.id, on: connection)
        try await Outbox.add(
            GMSEvents.tournament(.tournamentCreated, tournament, tenantSlug: sync.settings.tenantSlug, traceID: traceID), on: connection, logger: store.logger
        )
        return true
    }

    /// Writes a provider's match of `tournament`; true when something changed. A score that
    /// breaks the sport's rules is a ``FieldError`` (the match is refused and logged); a match
    /// that becomes completed announces `match.completed`.
    func upsert(_ item: ProviderMatch, of tournament: TournamentRecord, on connection: PostgresConnection) async throws -> Bool {
        var score: MatchScore?
        if let raw = item.score {
            guard let scoring = SportCatalog.scoring(tournament.sport) else { throw FieldError(field: "score", reason: "\(tournament.sport) has no matches") }
            score = try scoring.read(raw, knockout: tournament.format == .knockout)
        }
        let existing = try await store.externalMatch(tournamentID: tournament.id, externalID: item.id, on: connection)
        var match =
            existing
            ?? MatchRecord(
                id: UUID(), tenantID: tenantID, tournamentID: tournament.id, round: item.round, position: item.position, scheduledAt: item.scheduledAt,
                venue: "",
                status: .scheduled, home: .init(name: "", athleteID: nil), away: .init(name: "", athleteID: nil), score: nil, winner: nil, externalID: item.id,
                version: 1
            )
        let before = existing
        match.scheduledAt = item.scheduledAt
        match.status = item.status
        match.home.name = item.home
        match.away.name = item.away
        match.score = score?.json
        match.winner = score?.winner
        if let before {
            guard before.round == item.round, before.position == item.position else {
                throw FieldError(field: "position", reason: "the provider moved the match to another slot; not followed")
            }
            guard
                before.scheduledAt != match.scheduledAt || before.status != match.status || before.home != match.home || before.away != match.away
                    || !MatchRecord.sameScore(before.score, match.score)
            else { return false }
            try await store.update(match, on: connection)
            match.version += 1
        } else {
            if try await store.match(tournamentID: tournament.id, round: item.round, position: item.position, lock: false, on: connection) != nil {
                throw FieldError(field: "position", reason: "round \(item.round) position \(item.position) already holds another match")
            }
            guard try await store.matchCount(tournamentID: tournament.id, on: connection) < GMSAPI.maximumMatches else {
                throw FieldError(field: "id", reason: "the tournament already has \(GMSAPI.maximumMatches) matches")
            }
            try await store.insert(match, on: connection)
        }
        if match.status == .completed, before?.status != .completed {
            try await Outbox.add(
                GMSEvents.matchCompleted(match, tournament: tournament, participants: [], tenantSlug: sync.settings.tenantSlug, traceID: traceID),
                on: connection, logger: store.logger
            )
        }
        return true
    }

    /// `intl-<the provider's id>` as a DNS label; `hashed` adds six hex digits of the id's
    /// SHA-256 when that is taken (two ids that differ only in case or punctuation).
    static func slug(for externalID: String, hashed: Bool = false) -> String {
        var label = "intl-"
        for character in externalID.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber { label.append(character) } else if !label.hasSuffix("-") { label.append("-") }
        }
        while label.hasSuffix("-") { label.removeLast() }
        label = String(label.prefix(hashed ? 55 : 63))
        while label.hasSuffix("-") { label.removeLast() }
        if hashed || !Slug.isValid(label) {
            let digest = SHA256.hash(data: Data(externalID.utf8)).prefix(3).map { String(format: "%02x", $0) }.joined()
            label = "\(String(label.prefix(55)))-\(digest)"
        }
        return label
    }
}
