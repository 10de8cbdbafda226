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
