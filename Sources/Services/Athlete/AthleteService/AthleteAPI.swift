import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import PostgresNIO

/// The Athlete service's HTTP API under `/api/v1/athletes`: sports, a branch's teams and
/// athletes for those who manage them (each role its own fields), name search, and the public
/// profiles the branch sites show.
struct AthleteAPI: Sendable {
    let database: Database
    let store: AthleteStore
    let relay: OutboxRelay?
    let calendar: @Sendable () -> Date

    static let base = "/api/v1/athletes"
    /// The most athletes one export holds; a larger branch is refused, never cut short.
    static let exportAthletes = 10_000

    func register(on router: Router<KoniRequestContext>, verifier: JWTVerifier) {
        router.get("\(Self.base)/openapi.json") { _, _ in Response.json(AthleteOpenAPI.served) }
        router.get("\(Self.base)/sports") { _, _ in
            let sports = try await database.client.withConnection { try await store.sports(on: $0) }
            return Response.json(
                .object([
                    (
                        "items",
                        .array(
                            sports.map { sport in
                                .object([("code", .string(sport.code)), ("name", .string(sport.name)), ("stats", .array(sport.fields.map { .string($0.key) }))])
                            })
                    )
                ]))
        }
        registerPublic(on: router)
        let api = router.group(RouterPath(Self.base)).add(middleware: AuthMiddleware(verifier: verifier))
        registerAthletes(on: api)
    }

    // MARK: Shared steps

    var today: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Jakarta") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: self.calendar())
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let result = try await database.transaction(.readWrite, body)
        relay?.notify()
        return result
    }

    func athleteID(_ context: KoniRequestContext) throws(APIError) -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw APIError.notFound("no such athlete") }
        return id
    }

    func notFound() -> APIError { APIError(.notFound, code: "athlete_not_found", message: "no such athlete in this branch") }
}
