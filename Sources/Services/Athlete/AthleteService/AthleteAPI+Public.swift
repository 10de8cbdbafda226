import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

extension AthleteAPI {
    /// Without a token: what a branch site shows (``AthleteRecord/publicJSON(today:teamName:)``).
    func registerPublic(on router: Router<KoniRequestContext>) {
        router.get("\(Self.base)/public/:tenant/athletes") { request, context in
            let branch = try context.branch()
            let (query, limit, offset) = try Self.searchParameters(request)
            let today = self.today
            let items = try await database.client.withConnection { connection -> [JSONValue] in
                var items: [JSONValue] = []
                for athlete in try await store.search(tenantID: branch.id, query: query, limit: limit, offset: offset, on: connection) {
                    let team = try await athlete.teamID.asyncMap { try await store.teamName($0, on: connection) } ?? nil
                    items.append(athlete.publicJSON(today: today, teamName: team))
                }
                return items
            }
            return Response.json(.object([("items", .array(items))]), headers: [.cacheControl: "public, max-age=60"])
        }
        // Every athlete of the branch as its site shows them, with the id GMS names them by, read
        // in one snapshot: what the site build and the revalidation daemon read (never cached).
        router.get("\(Self.base)/public/:tenant/export") { _, context in
            let branch = try context.branch()
            let today = self.today
            let (items, asOf) = try await database.transaction(.readOnlySnapshot) { connection -> ([JSONValue], Int64) in
                let asOf = try await Database.clockMicroseconds(on: connection, logger: store.logger)
                let athletes = try await store.all(tenantID: branch.id, limit: Self.exportAthletes + 1, on: connection)
                guard athletes.count <= Self.exportAthletes else {
                    throw APIError(.contentTooLarge, code: "export_too_large", message: "the branch has more than \(Self.exportAthletes) athletes")
                }
                let teams = try await store.teamNames(tenantID: branch.id, on: connection)
                return (
                    athletes.map { athlete in
                        guard case .object(let pairs) = athlete.publicJSON(today: today, teamName: athlete.teamID.flatMap { teams[$0] }) else { return .null }
                        return .object([("id", .string(athlete.id.uuidString.lowercased()))] + pairs)
                    }, asOf
                )
            }
            return Response.json(.object([("as_of", .string(String(asOf))), ("athletes", .array(items))]), headers: [.cacheControl: "no-store"])
        }
        router.get("\(Self.base)/public/:tenant/athletes/:slug") { _, context in
            let branch = try context.branch()
            guard let slug = context.parameters.get("slug"), Slug.isValid(slug) else { throw notFound() }
            let today = self.today
            let profile = try await database.client.withConnection { connection -> JSONValue in
                guard let athlete = try await store.athlete(slug: slug, tenantID: branch.id, on: connection) else { throw notFound() }
                let team = try await athlete.teamID.asyncMap { try await store.teamName($0, on: connection) } ?? nil
                return athlete.publicJSON(today: today, teamName: team)
            }
            return Response.json(profile, headers: [.cacheControl: "public, max-age=60"])
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
