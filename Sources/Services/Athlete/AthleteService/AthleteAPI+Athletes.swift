import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import PostgresNIO

extension AthleteAPI {
    /// Teams, registration, search, one athlete, and changes by whoever may make them.
    func registerAthletes(on api: RouterGroup<KoniRequestContext>) {
        api.post(":tenant/teams") { request, context in
            let branch = try context.branch()
            guard let identity = context.identity, identity.allows(.athletesWrite, tenant: branch.id) else {
                throw APIError.forbidden("teams are made by the branch's athlete managers (athletes:write)")
            }
            let body = try await request.jsonBody(limit: 16 << 10)
            let sports = try await database.client.withConnection { try await store.sports(on: $0) }
            let (slug, name, sport, officials) = try APIError.validating { () throws(FieldError) in
                let fields = try JSONFields(body)
                try fields.checkKeys(["slug", "name", "sport", "officials"])
                let slug = try fields.slug("slug")
                let name = try fields.requiredString("name")
                guard name.count <= 120, BranchName.problem(with: name) == nil else { throw fields.error("name", "a name of at most 120 characters") }
                let sport = try fields.requiredString("sport")
                guard sports.contains(where: { $0.code == sport }) else { throw fields.error("sport", "not a sport of this service") }
                let officials = try fields.stringList("officials")
                guard officials.count <= 20, officials.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 100 }) else {
                    throw fields.error("officials", "up to 20 account ids")
                }
                return (slug, name, sport, officials)
            }
            let id = UUID()
            do {
                try await write { try await store.createTeam(id: id, tenantID: branch.id, sport: sport, slug: slug, name: name, officials: officials, on: $0) }
            } catch  where error.sqlState == "23505" {
                throw APIError(.conflict, code: "team_exists", message: "this branch already has a team '\(slug)'", field: "slug")
            }
            return Response.json(
                .object([("id", .string(id.uuidString.lowercased())), ("slug", .string(slug)), ("name", .string(name)), ("sport", .string(sport))]),
                status: .created)
        }
        api.post(":tenant/athletes") { request, context in
            let branch = try context.branch()
            guard let identity = context.identity, identity.allows(.athletesWrite, tenant: branch.id) else {
                throw APIError.forbidden("athletes are registered by the branch's athlete managers (athletes:write)")
            }
            let body = try await request.jsonBody(limit: 32 << 10)
            let sports = try await database.client.withConnection { try await store.sports(on: $0) }
            let today = self.today
            var athlete = AthleteRecord(
                id: UUID(), tenantID: branch.id, slug: "", userID: nil, guardianUserID: nil, fullName: "", birthDate: "", gender: "", phone: "", address: "",
                sport: "", club: "", teamID: nil, photo: "", achievements: [], stats: [], version: 1
            )
            try APIError.validating { () throws(FieldError) in
                let fields = try JSONFields(body)
                athlete.slug = try fields.slug("slug")
                for key in ["full_name", "birth_date", "gender", "sport"] where !fields.has(key) { throw fields.error(key, "is required") }
                try AthleteDraft.apply(fields, to: &athlete, allowed: AthleteDraft.allFields, sports: sports, today: today)
            }
            let created = try await write { connection -> AthleteRecord in
                if let team = athlete.teamID, try await store.team(team, tenantID: branch.id, on: connection) == nil {
                    throw APIError(.unprocessableContent, code: "validation_failed", message: "no team \(team) in this branch", field: "team_id")
                }
                do { try await store.insert(athlete, on: connection) } catch  where error.sqlState == "23505" {
                    throw APIError(.conflict, code: "athlete_exists", message: "this branch already has an athlete '\(athlete.slug)'", field: "slug")
                }
                try await Outbox.add(
                    AthleteEvents.event(.athleteRegistered, athlete, tenantSlug: branch.slug, traceID: context.traceID), on: connection, logger: store.logger)
                return athlete
            }
            return Response.json(created.json, status: .created)
        }
        api.get(":tenant/athletes") { request, context in
            let branch = try context.branch()
            guard let identity = context.identity, identity.allows(.athletesRead, tenant: branch.id) else {
                throw APIError.forbidden("the athlete list needs athletes:read for this branch")
            }
            let (query, limit, offset) = try Self.searchParameters(request)
            let athletes = try await database.client.withConnection {
                try await store.search(tenantID: branch.id, query: query, limit: limit, offset: offset, on: $0)
            }
            return Response.json(.object([("items", .array(athletes.map(\.json)))]))
        }
        api.get(":tenant/athletes/:id") { _, context in
            let branch = try context.branch()
            let id = try athleteID(context)
            guard let identity = context.identity else { throw APIError.unauthorized }
            let today = self.today
            let athlete = try await database.client.withConnection { connection -> AthleteRecord in
                guard let athlete = try await store.athlete(id: id, tenantID: branch.id, on: connection) else { throw notFound() }
                if identity.allows(.athletesRead, tenant: branch.id) { return athlete }
                guard try await AthleteEditor.of(identity, athlete: athlete, today: today, store: store, on: connection) != nil else { throw notFound() }
                return athlete
            }
            return Response.json(athlete.json, headers: [.eTag: "\"\(athlete.version)\""])
        }
        api.patch(":tenant/athletes/:id") { request, context in
            let branch = try context.branch()
            let id = try athleteID(context)
            guard let identity = context.identity else { throw APIError.unauthorized }
            let body = try await request.jsonBody(limit: 32 << 10)
            let fields = try APIError.validating { () throws(FieldError) in try JSONFields(body) }
            let expected = try request.expectedVersion(fields, of: "the athlete")
            let sports = try await database.client.withConnection { try await store.sports(on: $0) }
            let today = self.today
            let changed = try await write { connection -> AthleteRecord in
                guard var athlete = try await store.athlete(id: id, tenantID: branch.id, lock: true, on: connection) else { throw notFound() }
                guard let editor = try await AthleteEditor.of(identity, athlete: athlete, today: today, store: store, on: connection) else {
                    if identity.allows(.athletesRead, tenant: branch.id) { throw APIError.forbidden("you may read this athlete but not change them") }
                    throw notFound()
                }
                guard athlete.version == expected else {
                    throw APIError(.preconditionFailed, code: "version_conflict", message: "the athlete changed meanwhile (version \(athlete.version)); reload")
                }
                try APIError.validating { () throws(FieldError) in
                    try AthleteDraft.apply(fields, to: &athlete, allowed: editor.fields, sports: sports, today: today)
                }
                if let team = athlete.teamID, try await store.team(team, tenantID: branch.id, on: connection) == nil {
                    throw APIError(.unprocessableContent, code: "validation_failed", message: "no team \(team) in this branch", field: "team_id")
                }
                try await store.update(athlete, on: connection)
                athlete.version += 1
                try await Outbox.add(
                    AthleteEvents.event(.athleteUpdated, athlete, tenantSlug: branch.slug, traceID: context.traceID), on: connection, logger: store.logger)
                return athlete
            }
            return Response.json(changed.json, headers: [.eTag: "\"\(changed.version)\""])
        }
    }

    /// `?q=` (a name, at most 100 characters), `?limit=` 1…50 (20), `?page=` 1…50.
    static func searchParameters(_ request: Request) throws(APIError) -> (String?, Int, Int) {
        let query = request.uri.queryParameters.get("q").map { $0.trimmingCharacters(in: .whitespaces) }
        if let query, query.count > 100 || query.unicodeScalars.contains(where: { $0.value == 0 }) {
            throw APIError.badRequest("invalid_query", "q is a name of at most 100 characters", field: "q")
        }
        var limit = 20
        if let text = request.uri.queryParameters.get("limit") {
            guard let value = Int(text), (1...50).contains(value) else { throw APIError.badRequest("invalid_limit", "limit must be 1 to 50", field: "limit") }
            limit = value
        }
        var page = 1
        if let text = request.uri.queryParameters.get("page") {
            guard let value = Int(text), (1...50).contains(value) else { throw APIError.badRequest("invalid_page", "page must be 1 to 50", field: "page") }
            page = value
        }
        return (query?.isEmpty == true ? nil : query, limit, (page - 1) * limit)
    }
}
