import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import KoniSports
import PostgresNIO

/// GMS's HTTP API under `/api/v1/gms`: a branch's tournaments and matches for those who run
/// them (`gms:write`: admin, superadmin, game-admin), results that complete a match (and announce
/// it to the Athlete service and the sites), and the public schedule, results, standings and
/// brackets the branch sites show.
struct GMSAPI: Sendable {
    let database: Database
    let store: GMSStore
    let relay: OutboxRelay?

    static let base = "/api/v1/gms"
    /// The most tournaments one export holds, and matches one tournament may have: the export
    /// (what the sites read) is never cut short.
    static let exportTournaments = 500
    static let maximumMatches = 5000

    func register(on router: Router<KoniRequestContext>, verifier: JWTVerifier) {
        router.get("\(Self.base)/openapi.json") { _, _ in Response.json(GMSOpenAPI.served) }
        registerPublic(on: router)
        let api = router.group(RouterPath(Self.base)).add(middleware: AuthMiddleware(verifier: verifier))
        registerTournaments(on: api)
        registerMatches(on: api)
    }

    // MARK: Shared steps

    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let result = try await database.transaction(.readWrite, body)
        relay?.notify()
        return result
    }

    /// The branch, if the caller may run its tournaments.
    func managedBranch(_ context: KoniRequestContext) throws(APIError) -> (slug: String, id: UUID) {
        let branch = try context.branch()
        guard let identity = context.identity, identity.allows(.gmsWrite, tenant: branch.id) else {
            throw APIError.forbidden("tournaments and results are kept by game admins (gms:write)")
        }
        return branch
    }

    func id(_ context: KoniRequestContext, _ name: String, missing: APIError) throws(APIError) -> UUID {
        guard let text = context.parameters.get(name), let id = UUID(uuidString: text) else { throw missing }
        return id
    }

    static let tournamentNotFound = APIError(.notFound, code: "tournament_not_found", message: "no such tournament in this branch")
    static let matchNotFound = APIError(.notFound, code: "match_not_found", message: "no such match in this branch")

    /// A calendar day `YYYY-MM-DD` between 2000 and 2100.
    static func day(_ fields: JSONFields, _ key: String) throws(FieldError) -> String {
        let text = try fields.requiredString(key)
        guard text.count == 10, SiteDate.parse(text, defaultOffsetSeconds: 7 * 3600) != nil, text >= "2000-01-01", text <= "2100-12-31" else {
            throw fields.error(key, "a date YYYY-MM-DD from 2000 to 2100")
        }
        return text
    }
}
