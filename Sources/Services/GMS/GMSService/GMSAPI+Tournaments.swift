import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import KoniSports

extension GMSAPI {
    /// Making, changing and listing a branch's tournaments.
    func registerTournaments(on api: RouterGroup<KoniRequestContext>) {
        api.post(":tenant/tournaments") { request, context in
            let branch = try managedBranch(context)
            let body = try await request.jsonBody(limit: 16 << 10)
            let tournament = try APIError.validating { () throws(FieldError) -> TournamentRecord in
                let fields = try JSONFields(body)
                try fields.checkKeys(["slug", "name", "sport", "format", "starts_on", "ends_on", "venue"])
                let slug = try fields.slug("slug")
                let name = try fields.line("name", limit: 160, required: true) ?? ""
                let sport = try fields.requiredString("sport")
                guard SportCatalog.sport(sport) != nil else {
                    throw fields.error("sport", "not a sport; known: \(SportCatalog.sports.map(\.code).joined(separator: ", "))")
                }
                guard SportCatalog.scoring(sport) != nil else { throw fields.error("sport", "\(sport) has no head-to-head matches to keep") }
                guard let format = TournamentRecord.Format(rawValue: try fields.requiredString("format")) else {
                    throw fields.error("format", "league or knockout")
                }
                let (startsOn, endsOn) = try Self.dates(fields)
                let venue = try fields.line("venue", limit: 160, required: false) ?? ""
                return TournamentRecord(
                    id: UUID(), tenantID: branch.id, slug: slug, name: name, sport: sport, format: format, startsOn: startsOn, endsOn: endsOn, venue: venue,
                    externalSource: nil, externalID: nil, version: 1
                )
            }
            do {
                try await write { connection in
                    try await store.insert(tournament, on: connection)
                    try await Outbox.add(
                        GMSEvents.tournament(.tournamentCreated, tournament, tenantSlug: branch.slug, traceID: context.traceID), on: connection,
                        logger: store.logger
                    )
                }
            } catch  where error.sqlState == "23505" {
                throw APIError(.conflict, code: "tournament_exists", message: "this branch already has a tournament '\(tournament.slug)'", field: "slug")
            }
            return Response.json(tournament.json, status: .created, headers: [.eTag: "\"\(tournament.version)\""])
        }
        api.patch(":tenant/tournaments/:id") { request, context in
            let branch = try managedBranch(context)
            let id = try id(context, "id", missing: Self.tournamentNotFound)
            let body = try await request.jsonBody(limit: 16 << 10)
            let fields = try APIError.validating { () throws(FieldError) in try JSONFields(body) }
            let expected = try request.expectedVersion(fields, of: "the tournament")
            let changed = try await write { connection -> TournamentRecord in
                guard var tournament = try await store.tournament(id: id, tenantID: branch.id, lock: true, on: connection) else {
                    throw Self.tournamentNotFound
                }
                guard tournament.version == expected else {
                    throw APIError(.preconditionFailed, code: "version_mismatch", message: "the tournament is at version \(tournament.version); reload it")
                }
                try APIError.validating { () throws(FieldError) in
                    try fields.checkKeys(["name", "starts_on", "ends_on", "venue", "version"])
                    if let name = try fields.line("name", limit: 160, required: fields.has("name")) { tournament.name = name }
                    if let venue = try fields.line("venue", limit: 160, required: false) { tournament.venue = venue }
                    if fields.has("starts_on") || fields.has("ends_on") {
                        let startsOn = fields.has("starts_on") ? try Self.day(fields, "starts_on") : tournament.startsOn
                        let endsOn = fields.has("ends_on") ? try Self.day(fields, "ends_on") : tournament.endsOn
                        try Self.checkSpan(fields, startsOn, endsOn)
                        (tournament.startsOn, tournament.endsOn) = (startsOn, endsOn)
                    }
                }
                try await store.update(tournament, on: connection)
                tournament.version += 1
                try await Outbox.add(
                    GMSEvents.tournament(.tournamentUpdated, tournament, tenantSlug: branch.slug, traceID: context.traceID), on: connection,
                    logger: store.logger
                )
                return tournament
            }
            return Response.json(changed.json, headers: [.eTag: "\"\(changed.version)\""])
        }
    }

    static func dates(_ fields: JSONFields) throws(FieldError) -> (String, String) {
        let startsOn = try day(fields, "starts_on")
        let endsOn = try day(fields, "ends_on")
        try checkSpan(fields, startsOn, endsOn)
        return (startsOn, endsOn)
    }

    /// A tournament ends on or after its first day and lasts at most a year.
    static func checkSpan(_ fields: JSONFields, _ startsOn: String, _ endsOn: String) throws(FieldError) {
        guard endsOn >= startsOn else { throw fields.error("ends_on", "on or after starts_on") }
        guard let first = SiteDate.parse(startsOn, defaultOffsetSeconds: 0), let last = SiteDate.parse(endsOn, defaultOffsetSeconds: 0),
            last.epochSeconds - first.epochSeconds <= 366 * 86400
        else { throw fields.error("ends_on", "at most 366 days after starts_on") }
    }
}
