import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import KoniSports

extension GMSAPI {
    /// Without a token: what a branch site's `/turnamen/` shows (tournaments; one tournament's
    /// schedule, results and standings or bracket) and an athlete page's matches.
    func registerPublic(on router: Router<KoniRequestContext>) {
        let cache: HTTPFields = [.cacheControl: "public, max-age=30"]
        router.get("\(Self.base)/public/:tenant/tournaments") { _, context in
            let branch = try context.branch()
            let items = try await database.client.withConnection { try await store.tournaments(tenantID: branch.id, limit: 500, on: $0) }
            return Response.json(.object([("items", .array(items.map(\.publicJSON)))]), headers: cache)
        }
        router.get("\(Self.base)/public/:tenant/tournaments/:slug") { _, context in
            let branch = try context.branch()
            guard let slug = context.parameters.get("slug"), Slug.isValid(slug) else { throw Self.tournamentNotFound }
            let page = try await database.client.withConnection { connection -> JSONValue in
                guard let tournament = try await store.tournament(slug: slug, tenantID: branch.id, on: connection) else { throw Self.tournamentNotFound }
                let matches = try await store.matches(tournamentID: tournament.id, on: connection)
                return Self.tournamentPage(tournament, matches: matches, players: try await store.players(tournamentID: tournament.id, on: connection))
            }
            return Response.json(page, headers: cache)
        }
        // Every tournament of the branch with its matches, in one answer read in one snapshot:
        // what the site build and the revalidation daemon read (never cached).
        router.get("\(Self.base)/public/:tenant/export") { _, context in
            let branch = try context.branch()
            let (pages, asOf) = try await database.transaction(.readOnlySnapshot) { connection -> ([JSONValue], Int64) in
                let asOf = try await Database.clockMicroseconds(on: connection, logger: store.logger)
                let tournaments = try await store.tournaments(tenantID: branch.id, limit: Self.exportTournaments + 1, on: connection)
                // Never a silent cut: a site missing its oldest tournaments, or a final, would look complete.
                guard tournaments.count <= Self.exportTournaments else {
                    throw APIError(.contentTooLarge, code: "export_too_large", message: "the branch has more than \(Self.exportTournaments) tournaments")
                }
                var pages: [JSONValue] = []
                for tournament in tournaments {
                    pages.append(
                        Self.tournamentPage(
                            tournament, matches: try await store.matches(tournamentID: tournament.id, on: connection),
                            players: try await store.players(tournamentID: tournament.id, on: connection)
                        ))
                }
                return (pages, asOf)
            }
            return Response.json(.object([("as_of", .string(String(asOf))), ("tournaments", .array(pages))]), headers: [.cacheControl: "no-store"])
        }
        router.get("\(Self.base)/public/:tenant/athletes/:id/matches") { _, context in
            let branch = try context.branch()
            let athleteID = try id(context, "id", missing: APIError.notFound("no such athlete"))
            let items = try await database.client.withConnection { connection in
                try await store.matches(athleteID: athleteID, tenantID: branch.id, limit: 200, on: connection)
            }
            return Response.json(
                .object([
                    (
                        "items",
                        .array(
                            items.map { match, tournament in
                                .object([
                                    ("tournament", .object([("slug", .string(tournament.slug)), ("name", .string(tournament.name))])),
                                    ("match", match.publicJSON),
                                ])
                            })
                    )
                ]), headers: cache)
        }
    }

    /// One tournament as its page shows it: the tournament, every match by round, and the
    /// league's standings or the knockout's bracket.
    /// `players`: the athletes who played each match (by match id), so that an athlete's page can
    /// list a team match they played in.
    static func tournamentPage(_ tournament: TournamentRecord, matches: [MatchRecord], players: [UUID: [UUID]] = [:]) -> JSONValue {
        let listed = matches.map { match -> JSONValue in
            guard case .object(var pairs) = match.publicJSON else { return match.publicJSON }
            pairs.append(("participants", .array((players[match.id] ?? []).map { .string($0.uuidString.lowercased()) })))
            return .object(pairs)
        }
        var pairs: [(key: String, value: JSONValue)] = [("tournament", tournament.publicJSON), ("matches", .array(listed))]
        switch tournament.format {
        case .league:
            if let scoring = SportCatalog.scoring(tournament.sport) { pairs.append(("standings", LeagueTable(matches: matches, scoring: scoring).json)) }
        case .knockout:
            pairs.append(("bracket", Bracket(matches: matches).json))
        }
        return .object(pairs)
    }
}

extension TournamentRecord {
    var publicJSON: JSONValue {
        .object([
            ("slug", .string(slug)), ("name", .string(name)), ("sport", .string(sport)), ("format", .string(format.rawValue)), ("starts_on", .string(startsOn)),
            ("ends_on", .string(endsOn)), ("venue", .string(venue)), ("international", .bool(externalSource != nil)),
        ])
    }
}
