import KoniJSON
import KoniServiceKit

/// The OpenAPI 3.1 description of the Athlete API, served at `/api/v1/athletes/openapi.json` and
/// checked route by route against the router (`AthleteOpenAPITests`).
enum AthleteOpenAPI: OpenAPIBuilding {
    static let served: JSONValue = build()

    static func build() -> JSONValue {
        let tenant = param("tenant")
        let id = param("id", schema: string("uuid"))
        let search = [
            param("q", in: "query", required: false), param("limit", in: "query", schema: integer, required: false),
            param("page", in: "query", schema: integer, required: false),
        ]
        let errors: [(key: String, value: JSONValue)] = [
            ("400", response("malformed request", ref("Error"))), ("401", response("missing, invalid or expired token", ref("Error"))),
            ("403", response("the role may not do this", ref("Error"))), ("404", response("no such athlete in the branch", ref("Error"))),
            ("422", response("a field is invalid; the error names it", ref("Error"))),
        ]
        let athleteFields: [(String, JSONValue)] = [
            ("slug", string()), ("full_name", string()), ("birth_date", string("date")), ("gender", string()), ("phone", string()), ("address", string()),
            ("sport", string()), ("club", string()), ("team_id", nullable(string("uuid"))), ("photo", string()), ("achievements", array(string())),
            ("stats", .object([("type", .string("object")), ("additionalProperties", integer)])), ("user_id", nullable(string())),
            ("guardian_user_id", nullable(string())), ("featured", boolean),
        ]
        let paths: [(key: String, value: JSONValue)] = [
            (
                "/api/v1/athletes/sports",
                .object([
                    (
                        "get",
                        operation(
                            "Sports and their statistics", tags: ["sports"], parameters: [],
                            responses: [
                                (
                                    "200",
                                    response(
                                        "sports", object([("items", array(object([("code", string()), ("name", string()), ("stats", array(string()))])))]))
                                )
                            ], secured: false)
                    )
                ])
            ),
            (
                "/api/v1/athletes/public/{tenant}/athletes",
                .object([
                    (
                        "get",
                        operation(
                            "A branch's athletes as its site shows them (search by name, typos forgiven)", tags: ["public"], parameters: [tenant] + search,
                            responses: [
                                ("200", response("athletes", object([("items", array(ref("PublicAthlete")))]))), ("400", response("bad query", ref("Error"))),
                            ], secured: false)
                    )
                ])
            ),
            (
                "/api/v1/athletes/public/{tenant}/export",
                .object([
                    (
                        "get",
                        operation(
                            "Every athlete of the branch as its site shows them, with their id, read in one snapshot (what the site build and the revalidation daemon read; at most 10,000)",
                            tags: ["public"], parameters: [tenant],
                            responses: [
                                ("200", response("the branch's athletes", object([("as_of", string()), ("athletes", array(ref("PublicAthlete")))]))),
                                ("404", response("not a branch slug", ref("Error"))), ("413", response("more than 10,000 athletes", ref("Error"))),
                            ], secured: false)
                    )
                ])
            ),
            (
                "/api/v1/athletes/public/{tenant}/athletes/{slug}",
                .object([
                    (
                        "get",
                        operation(
                            "One public profile (a minor's shows less)", tags: ["public"], parameters: [tenant, param("slug")],
                            responses: [("200", response("the profile", ref("PublicAthlete"))), ("404", response("no such athlete", ref("Error")))],
                            secured: false)
                    )
                ])
            ),
            (
                "/api/v1/athletes/{tenant}/teams",
                .object([
                    (
                        "post",
                        operation(
                            "Make a team with its officials", tags: ["teams"], parameters: [tenant],
                            body: body(
                                object(
                                    [("slug", string()), ("name", string()), ("sport", string()), ("officials", array(string()))],
                                    required: ["slug", "name", "sport"])),
                            responses: [
                                ("201", response("made", object([("id", string("uuid")), ("slug", string()), ("name", string()), ("sport", string())]))),
                                ("409", response("slug taken", ref("Error"))),
                            ] + errors, secured: true)
                    )
                ])
            ),
            (
                "/api/v1/athletes/{tenant}/athletes",
                .object([
                    (
                        "get",
                        operation(
                            "Search the branch's athletes by name", tags: ["athletes"], parameters: [tenant] + search,
                            responses: [("200", response("athletes", object([("items", array(ref("Athlete")))])))] + errors, secured: true)
                    ),
                    (
                        "post",
                        operation(
                            "Register an athlete (athlete.registered)", tags: ["athletes"], parameters: [tenant],
                            body: body(object(athleteFields, required: ["slug", "full_name", "birth_date", "gender", "sport"])),
                            responses: [("201", response("registered", ref("Athlete"))), ("409", response("slug taken", ref("Error")))] + errors, secured: true)
                    ),
                ])
            ),
            (
                "/api/v1/athletes/{tenant}/athletes/{id}",
                .object([
                    (
                        "get",
                        operation(
                            "One athlete, for who may manage or is them", tags: ["athletes"], parameters: [tenant, id],
                            responses: [("200", response("the athlete", ref("Athlete")))] + errors, secured: true)
                    ),
                    (
                        "patch",
                        operation(
                            "Change an athlete: managers any field, the athlete or a minor's guardian their details, a team official their sporting fields",
                            tags: ["athletes"], parameters: [tenant, id, param("If-Match", in: "header", required: false)],
                            body: body(object(athleteFields + [("version", integer)])),
                            responses: [
                                ("200", response("changed", ref("Athlete"))), ("412", response("changed meanwhile", ref("Error"))),
                                ("428", response("no version", ref("Error"))),
                            ] + errors, secured: true)
                    ),
                ])
            ),
        ]
        let schemas: [(key: String, value: JSONValue)] = [
            ("Athlete", object(athleteFields + [("id", string("uuid")), ("tenant_id", string("uuid")), ("version", integer)])),
            (
                "PublicAthlete",
                object([
                    ("id", string("uuid")), ("name", string()), ("slug", string()), ("sport", string()), ("club", string()), ("team", string()),
                    ("photo", string()),
                    ("achievements", array(string())), ("stats", .object([("type", .string("object"))])), ("minor", boolean), ("featured", boolean),
                ])
            ),
            ("Error", errorSchema),
        ]
        return document(
            title: "KONI Athlete service",
            description:
                "Athletes, teams and sports of each branch. Managing needs athletes:write for the branch (admin-cabang its own); reading athletes:read; an athlete edits their own details, a guardian a linked minor's, a team official their team's sporting fields. Public profiles never show birth dates, phones, addresses or accounts. Changes emit athlete.registered and athlete.updated.",
            server: "http://127.0.0.1:8004", paths: paths, schemas: schemas
        )
    }
}
