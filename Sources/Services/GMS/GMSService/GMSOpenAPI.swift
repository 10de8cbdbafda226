import KoniJSON
import KoniServiceKit

/// The OpenAPI 3.1 description of GMS's API, served at `/api/v1/gms/openapi.json` and checked
/// route by route against the router (`GMSOpenAPITests`) and fuzzed by the hostile suite.
enum GMSOpenAPI: OpenAPIBuilding {
    static let served: JSONValue = build()

    static func build() -> JSONValue {
        let tenant = param("tenant")
        let id = param("id", schema: string("uuid"))
        let errors: [(key: String, value: JSONValue)] = [
            ("400", response("malformed request", ref("Error"))), ("401", response("missing, invalid or expired token", ref("Error"))),
            ("403", response("the role may not do this (gms:write)", ref("Error"))),
            ("404", response("no such tournament or match in the branch", ref("Error"))),
            ("422", response("a field is invalid; the error names it", ref("Error"))),
        ]
        let side = object([("name", string()), ("athlete_id", nullable(string("uuid")))], required: ["name"])
        let score = JSONValue.object([
            ("type", .string("object")), ("description", .string("{\"home\": n, \"away\": m}, or in chess {\"result\": \"1-0\" | \"0-1\" | \"1/2-1/2\"}")),
        ])
        let paths: [(key: String, value: JSONValue)] = [
            (
                "/api/v1/gms/public/{tenant}/tournaments",
                .object([
                    (
                        "get",
                        operation(
                            "A branch's tournaments, the latest first", tags: ["public"], parameters: [tenant],
                            responses: [("200", response("tournaments", object([("items", array(ref("PublicTournament")))])))], secured: false)
                    )
                ])
            ),
            (
                "/api/v1/gms/public/{tenant}/tournaments/{slug}",
                .object([
                    (
                        "get",
                        operation(
                            "One tournament: schedule, results, and standings (league) or bracket (knockout)", tags: ["public"],
                            parameters: [tenant, param("slug")],
                            responses: [
                                ("200", response("the tournament's page", ref("TournamentPage"))), ("404", response("no such tournament", ref("Error"))),
                            ], secured: false)
                    )
                ])
            ),
            (
                "/api/v1/gms/public/{tenant}/export",
                .object([
                    (
                        "get",
                        operation(
                            "Every tournament of the branch with its matches and table or bracket, read in one snapshot (what the site build and the revalidation daemon read; at most 500 tournaments)",
                            tags: ["public"], parameters: [tenant],
                            responses: [
                                ("200", response("the branch's tournaments", object([("tournaments", array(ref("TournamentPage")))]))),
                                ("404", response("not a branch slug", ref("Error"))),
                            ], secured: false)
                    )
                ])
            ),
            (
                "/api/v1/gms/public/{tenant}/athletes/{id}/matches",
                .object([
                    (
                        "get",
                        operation(
                            "The matches an athlete played or will play, the latest first", tags: ["public"], parameters: [tenant, id],
                            responses: [
                                (
                                    "200",
                                    response(
                                        "matches",
                                        object([
                                            (
                                                "items",
                                                array(
                                                    object([("tournament", object([("slug", string()), ("name", string())])), ("match", ref("PublicMatch"))]))
                                            )
                                        ]))
                                ), ("404", response("not an athlete id", ref("Error"))),
                            ], secured: false)
                    )
                ])
            ),
            (
                "/api/v1/gms/{tenant}/tournaments",
                .object([
                    (
                        "post",
                        operation(
                            "Make a tournament (tournament.created)", tags: ["tournaments"], parameters: [tenant],
                            body: body(
                                object(
                                    [
                                        ("slug", string()), ("name", string()), ("sport", string()), ("format", string()), ("starts_on", string("date")),
                                        ("ends_on", string("date")), ("venue", string()),
                                    ], required: ["slug", "name", "sport", "format", "starts_on", "ends_on"])),
                            responses: [("201", response("made", ref("Tournament"))), ("409", response("slug taken", ref("Error")))] + errors, secured: true)
                    )
                ])
            ),
            (
                "/api/v1/gms/{tenant}/tournaments/{id}",
                .object([
                    (
                        "patch",
                        operation(
                            "Change a tournament's name, dates or venue (tournament.updated)", tags: ["tournaments"],
                            parameters: [tenant, id, param("If-Match", in: "header", required: false)],
                            body: body(
                                object([
                                    ("name", string()), ("starts_on", string("date")), ("ends_on", string("date")), ("venue", string()), ("version", integer),
                                ])),
                            responses: [
                                ("200", response("changed", ref("Tournament"))), ("412", response("changed meanwhile", ref("Error"))),
                                ("428", response("no version", ref("Error"))),
                            ] + errors, secured: true)
                    )
                ])
            ),
            (
                "/api/v1/gms/{tenant}/tournaments/{id}/matches",
                .object([
                    (
                        "post",
                        operation(
                            "Schedule a match in a round and slot (later knockout rounds may leave sides empty: winners fill them)", tags: ["matches"],
                            parameters: [tenant, id],
                            body: body(
                                object(
                                    [
                                        ("round", integer), ("position", integer), ("scheduled_at", string("date-time")), ("venue", string()), ("home", side),
                                        ("away", side),
                                    ], required: ["round", "position", "scheduled_at"])),
                            responses: [("201", response("scheduled", ref("Match"))), ("409", response("slot taken", ref("Error")))] + errors, secured: true)
                    )
                ])
            ),
            (
                "/api/v1/gms/{tenant}/matches/{id}/result",
                .object([
                    (
                        "post",
                        operation(
                            "Complete a match with its score and each participant's statistics (match.completed; the same result again changes nothing)",
                            tags: ["matches"], parameters: [tenant, id],
                            body: body(
                                object(
                                    [
                                        ("score", score),
                                        (
                                            "participants",
                                            array(
                                                object(
                                                    [
                                                        ("athlete_id", string("uuid")), ("side", string()),
                                                        ("stats", .object([("type", .string("object")), ("additionalProperties", integer)])),
                                                    ], required: ["athlete_id", "side", "stats"]))
                                        ),
                                    ], required: ["score"])),
                            responses: [
                                ("200", response("completed", ref("Match"))),
                                ("409", response("already completed with another score, cancelled, or sides unknown", ref("Error"))),
                            ] + errors, secured: true)
                    )
                ])
            ),
        ]
        let publicMatch = object([
            ("round", integer), ("position", integer), ("scheduled_at", string("date-time")), ("venue", string()), ("status", string()), ("home", side),
            ("away", side),
            ("score", nullable(score)), ("winner", nullable(string())),
        ])
        let schemas: [(key: String, value: JSONValue)] = [
            (
                "Tournament",
                object([
                    ("id", string("uuid")), ("tenant_id", string("uuid")), ("slug", string()), ("name", string()), ("sport", string()), ("format", string()),
                    ("starts_on", string("date")), ("ends_on", string("date")), ("venue", string()), ("source", nullable(string())), ("version", integer),
                ])
            ),
            (
                "PublicTournament",
                object([
                    ("slug", string()), ("name", string()), ("sport", string()), ("format", string()), ("starts_on", string("date")),
                    ("ends_on", string("date")),
                    ("venue", string()), ("international", boolean),
                ])
            ),
            (
                "Match",
                object([
                    ("id", string("uuid")), ("tournament_id", string("uuid")), ("round", integer), ("position", integer), ("scheduled_at", string("date-time")),
                    ("venue", string()), ("status", string()), ("home", side), ("away", side), ("score", nullable(score)), ("winner", nullable(string())),
                    ("version", integer),
                ])
            ),
            ("PublicMatch", publicMatch),
            (
                "TournamentPage",
                object([
                    ("tournament", ref("PublicTournament")), ("matches", array(ref("PublicMatch"))),
                    (
                        "standings",
                        array(
                            object([
                                ("rank", integer), ("name", string()), ("played", integer), ("won", integer), ("drawn", integer), ("lost", integer),
                                ("scored", .object([("type", .string("number"))])), ("conceded", .object([("type", .string("number"))])),
                                ("points", .object([("type", .string("number"))])),
                            ]))
                    ),
                    ("bracket", array(object([("round", integer), ("name", string()), ("matches", array(ref("PublicMatch")))]))),
                ])
            ),
            ("Error", errorSchema),
        ]
        return document(
            title: "KONI GMS (game management)",
            description:
                "Tournaments, matches and results of each branch. Writing needs gms:write (admin, superadmin, game-admin). A result completes a match once and emits match.completed, which the Athlete service adds to each participant's statistics exactly once; tournaments emit tournament.created and tournament.updated. The public routes are what branch sites show: no personal data, only names, scores, standings and brackets.",
            server: "http://127.0.0.1:8005", paths: paths, schemas: schemas
        )
    }
}
