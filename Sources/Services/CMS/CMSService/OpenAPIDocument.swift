import CMSWire
import ComproModel
import KoniJSON
import KoniServiceKit

/// The OpenAPI 3.1 description of the CMS API, built from the same kind list the routes use so
/// that the two cannot drift apart.
enum OpenAPIDocument: OpenAPIBuilding {
    static let document: JSONValue = build()

    static let errors: [(key: String, value: JSONValue)] = [
        ("400", response("malformed JSON or query", ref("Error"))), ("401", response("missing, invalid or expired token", ref("Error"))),
        ("403", response("the role may not act on this tenant", ref("Error"))), ("404", response("unknown tenant or item", ref("Error"))),
        ("413", response("body larger than the limit", ref("Error"))), ("422", response("a field breaks a rule", ref("Error"))),
    ]
    static func contentSchema(_ kind: ContentKind) -> JSONValue {
        let image = nullable(object([("src", string()), ("alt", string())], required: ["src"]))
        let properties: [(String, JSONValue)]
        switch kind {
        case .news:
            properties = [
                ("slug", string()), ("title", string()), ("date", string()), ("summary", string()), ("cover", image), ("tags", array(string())),
                ("author", string()), ("body", string()),
            ]
        case .event:
            properties = [
                ("slug", string()), ("title", string()), ("start", string()), ("end", nullable(string())), ("location", string()),
                ("registration_url", string()), ("summary", string()), ("cover", image), ("body", string()),
            ]
        case .gallery:
            properties = [
                ("slug", string()), ("title", string()), ("date", string()), ("summary", string()),
                ("photos", array(object([("src", string()), ("alt", string()), ("caption", string())], required: ["src", "alt"]))), ("body", string()),
            ]
        case .athlete:
            properties = [
                ("slug", string()), ("name", string()), ("sport", string()), ("photo", image), ("region", string()), ("club", string()),
                ("birth_year", nullable(integer)), ("featured", boolean), ("achievements", array(string())), ("stats", .object([("type", .string("object"))])),
                ("body", string()),
            ]
        case .page:
            properties = [
                ("slug", string()), ("title", string()), ("order", integer), ("menu", boolean), ("summary", string()), ("sections", array(ref("Section"))),
                ("body", string()),
            ]
        case .tournament:
            // Not a CMS collection (tournaments are kept in GMS); never documented here.
            properties = [("slug", string())]
        }
        let required: [String] =
            switch kind {
            case .news: ["slug", "title", "date"]
            case .event: ["slug", "title", "start"]
            case .gallery: ["slug", "title", "date", "photos"]
            case .athlete: ["slug", "name", "sport"]
            case .page: ["slug", "title"]
            case .tournament: ["slug"]
            }
        let state: [(String, JSONValue)] = [
            ("id", string("uuid")), ("version", integer), ("published", boolean), ("created_at", string("date-time")), ("updated_at", string("date-time")),
            ("published_at", nullable(string("date-time"))),
        ]
        return object(state + properties, required: required)
    }

    static func build() -> JSONValue {
        var paths: [(key: String, value: JSONValue)] = []
        let tenant = param("tenant")
        let etag = param("If-None-Match", in: "header", required: false)
        let ifMatch = param("If-Match", in: "header", required: false)
        let pageParams = [param("page", in: "query", schema: integer, required: false), param("per_page", in: "query", schema: integer, required: false)]
        paths.append(
            (
                "/api/v1/cms/sites/{tenant}",
                .object([
                    (
                        "get",
                        operation(
                            "A tenant's settings and theme", tags: ["public"], parameters: [tenant, etag],
                            responses: [("200", response("the site", ref("Site"))), ("304", response("not modified"))] + errors, secured: false)
                    )
                ])
            ))
        paths.append(
            (
                "/api/v1/cms/admin/sites/{tenant}",
                .object([
                    (
                        "get",
                        operation(
                            "A tenant's settings and theme with their versions, drafts' settings included (the admin's view)", tags: ["admin"],
                            parameters: [tenant], responses: [("200", response("the site", ref("Site")))] + errors, secured: true)
                    )
                ])
            ))
        paths.append(
            (
                "/api/v1/cms/admin/sites",
                .object([
                    (
                        "post",
                        operation(
                            "Add a tenant (admin, superadmin)", tags: ["admin"], parameters: [], body: body(ref("NewSite")),
                            responses: [("201", response("created", ref("Site"))), ("409", response("slug or id taken", ref("Error")))] + errors, secured: true)
                    )
                ])
            ))
        for (resource, schemaName) in [("settings", "Settings"), ("theme", "Theme")] {
            paths.append(
                (
                    "/api/v1/cms/admin/sites/{tenant}/\(resource)",
                    .object([
                        (
                            "get",
                            operation(
                                "Read the \(resource)", tags: ["admin"], parameters: [tenant],
                                responses: [("200", response(resource, ref(schemaName)))] + errors, secured: true)
                        ),
                        (
                            "put",
                            operation(
                                "Replace the \(resource) (If-Match or version required)", tags: ["admin"], parameters: [tenant, ifMatch],
                                body: body(ref(schemaName)),
                                responses: [
                                    ("200", response("updated", ref(schemaName))), ("409", response("version conflict", ref("Error"))),
                                    ("412", response("If-Match failed", ref("Error"))), ("428", response("no If-Match nor version", ref("Error"))),
                                ] + errors, secured: true)
                        ),
                    ])
                ))
        }
        var schemas: [(key: String, value: JSONValue)] = []
        for schema in ContentSchema.all {
            let name = schema.kind.rawValue.prefix(1).uppercased() + schema.kind.rawValue.dropFirst()
            schemas.append((name, contentSchema(schema.kind)))
            let list = object([
                ("items", array(ref(name))), ("page", integer), ("per_page", integer), ("total", integer), ("pages", integer), ("next", nullable(string())),
            ])
            let after = param("after", in: "query", required: false)
            paths.append(
                (
                    "/api/v1/cms/sites/{tenant}/\(schema.collection)",
                    .object([
                        (
                            "get",
                            operation(
                                "Published \(schema.collection), in the generator's order: by position with after=start|<next> (no total), or by page number",
                                tags: ["public"], parameters: [tenant, etag, after] + pageParams,
                                responses: [("200", response("a page of items", list)), ("304", response("not modified"))] + errors, secured: false)
                        )
                    ])
                ))
            let batch = object([("upsert", array(ref(name))), ("prune_except", array(string())), ("dry_run", boolean)])
            let batchResult = object([
                ("created", integer), ("updated", integer), ("unchanged", integer), ("dry_run", boolean), ("deleted", array(string())),
                ("deleted_count", integer),
                ("would_delete", array(string())), ("would_delete_count", integer),
            ])
            paths.append(
                (
                    "/api/v1/cms/admin/sites/{tenant}/\(schema.collection)/batch",
                    .object([
                        (
                            "post",
                            operation(
                                "Create or replace up to 500 \(schema.collection) by slug, and delete (or with dry_run list) those not in prune_except, in one transaction",
                                tags: ["admin"], parameters: [tenant], body: body(batch),
                                responses: [("200", response("what was done", batchResult)), ("409", response("slug taken", ref("Error")))] + errors,
                                secured: true)
                        )
                    ])
                ))
            paths.append(
                (
                    "/api/v1/cms/sites/{tenant}/\(schema.collection)/{slug}",
                    .object([
                        (
                            "get",
                            operation(
                                "One published \(schema.kind.rawValue)", tags: ["public"], parameters: [tenant, param("slug"), etag],
                                responses: [("200", response("the item", ref(name))), ("304", response("not modified"))] + errors, secured: false)
                        )
                    ])
                ))
            paths.append(
                (
                    "/api/v1/cms/admin/sites/{tenant}/\(schema.collection)",
                    .object([
                        (
                            "get",
                            operation(
                                "Every \(schema.kind.rawValue), drafts included", tags: ["admin"], parameters: [tenant] + pageParams,
                                responses: [("200", response("a page of items", list))] + errors, secured: true)
                        ),
                        (
                            "post",
                            operation(
                                "Create a \(schema.kind.rawValue) (optionally published: true)", tags: ["admin"], parameters: [tenant], body: body(ref(name)),
                                responses: [("201", response("created", ref(name))), ("409", response("slug taken", ref("Error")))] + errors, secured: true)
                        ),
                    ])
                ))
            let id = param("id", schema: string("uuid"))
            paths.append(
                (
                    "/api/v1/cms/admin/sites/{tenant}/\(schema.collection)/{id}",
                    .object([
                        (
                            "get",
                            operation(
                                "Read one \(schema.kind.rawValue)", tags: ["admin"], parameters: [tenant, id],
                                responses: [("200", response("the item", ref(name)))] + errors, secured: true)
                        ),
                        (
                            "put",
                            operation(
                                "Replace one \(schema.kind.rawValue) (If-Match or version required)", tags: ["admin"], parameters: [tenant, id, ifMatch],
                                body: body(ref(name)),
                                responses: [
                                    ("200", response("updated", ref(name))), ("409", response("version conflict or slug taken", ref("Error"))),
                                    ("412", response("If-Match failed", ref("Error"))), ("428", response("no If-Match nor version", ref("Error"))),
                                ] + errors, secured: true)
                        ),
                        (
                            "delete",
                            operation(
                                "Delete one \(schema.kind.rawValue)", tags: ["admin"], parameters: [tenant, id, ifMatch],
                                responses: [("204", response("deleted")), ("412", response("If-Match failed", ref("Error")))] + errors, secured: true)
                        ),
                    ])
                ))
            for action in ["publish", "unpublish"] {
                paths.append(
                    (
                        "/api/v1/cms/admin/sites/{tenant}/\(schema.collection)/{id}/\(action)",
                        .object([
                            (
                                "post",
                                operation(
                                    "\(action.capitalized) one \(schema.kind.rawValue)", tags: ["admin"], parameters: [tenant, id, ifMatch],
                                    responses: [("200", response("the item", ref(name))), ("412", response("If-Match failed", ref("Error")))] + errors,
                                    secured: true)
                            )
                        ])
                    ))
            }
        }
        let change = object(
            [("seq", integer), ("collection", string()), ("id", string("uuid")), ("item", .object([("type", .string("object"))])), ("deleted", boolean)],
            required: ["seq", "collection", "id"])
        paths.append(
            (
                "/api/v1/cms/sites/{tenant}/changes",
                .object([
                    (
                        "get",
                        operation(
                            "What changed after a cursor, oldest first, each item once in its latest state or as deleted", tags: ["public"],
                            parameters: [
                                tenant, param("since", in: "query", schema: integer, required: false),
                                param("limit", in: "query", schema: integer, required: false),
                            ],
                            responses: [
                                (
                                    "200",
                                    response(
                                        "changes",
                                        object([("since", integer), ("next", integer), ("latest", integer), ("more", boolean), ("changes", array(change))]))
                                ), ("409", response("cursor_ahead: read the export again", ref("Error"))),
                            ] + errors, secured: false)
                    )
                ])
            ))
        paths.append(
            (
                "/api/v1/cms/sites/{tenant}/state",
                .object([
                    (
                        "get",
                        operation(
                            "The latest cursor and a digest of everything published (digest=false: the cursor alone)", tags: ["public"],
                            parameters: [tenant, param("digest", in: "query", schema: boolean, required: false)],
                            responses: [("200", response("state", object([("cursor", integer), ("entries", integer), ("digest", string())])))] + errors,
                            secured: false)
                    )
                ])
            ))
        paths.append(
            (
                "/api/v1/cms/sites/{tenant}/export",
                .object([
                    (
                        "get",
                        operation(
                            "Every published item as JSON lines (application/x-ndjson): a header with the cursor and site, one line per item, an end line with the count",
                            tags: ["public"], parameters: [tenant],
                            responses: [
                                (
                                    "200",
                                    .object([
                                        ("description", .string("the export")),
                                        ("content", .object([("application/x-ndjson", .object([("schema", string())]))])),
                                    ])
                                )
                            ] + errors, secured: false)
                    )
                ])
            ))
        let pageID = param("id", schema: string("uuid"))
        let sectionID = param("section", schema: string("uuid"))
        paths.append(
            (
                "/api/v1/cms/admin/sites/{tenant}/pages/{id}/sections",
                .object([
                    (
                        "get",
                        operation(
                            "A page's sections with their ids and positions", tags: ["admin"], parameters: [tenant, pageID],
                            responses: [("200", response("the sections", object([("items", array(ref("Section")))])))] + errors, secured: true)
                    ),
                    (
                        "post",
                        operation(
                            "Add a section (at ?position=, default last); the page's version moves on", tags: ["admin"],
                            parameters: [tenant, pageID, ifMatch, param("position", in: "query", schema: integer, required: false)], body: body(ref("Section")),
                            responses: [("201", response("the section", ref("Section"))), ("412", response("If-Match failed", ref("Error")))] + errors,
                            secured: true)
                    ),
                ])
            ))
        paths.append(
            (
                "/api/v1/cms/admin/sites/{tenant}/pages/{id}/sections/{section}",
                .object([
                    (
                        "put",
                        operation(
                            "Replace a section (If-Match: the page's ETag)", tags: ["admin"], parameters: [tenant, pageID, sectionID, ifMatch],
                            body: body(ref("Section")),
                            responses: [
                                ("200", response("the section", ref("Section"))), ("412", response("If-Match failed", ref("Error"))),
                                ("428", response("no If-Match", ref("Error"))),
                            ] + errors, secured: true)
                    ),
                    (
                        "delete",
                        operation(
                            "Remove a section", tags: ["admin"], parameters: [tenant, pageID, sectionID, ifMatch],
                            responses: [("204", response("removed")), ("412", response("If-Match failed", ref("Error")))] + errors, secured: true)
                    ),
                ])
            ))
        let nav = nullable(array(object([("title", string()), ("url", string())], required: ["title", "url"])))
        let contact = nullable(object([("address", string()), ("phone", string()), ("email", string()), ("hours", string()), ("map_url", string())]))
        let settings = object(
            [
                ("version", integer), ("name", string()), ("short_name", string()), ("tagline", string()), ("description", string()),
                ("domains", array(string())),
                ("base_url", string()), ("locale", string()), ("timezone", .object([("enum", .array(SiteTimeZone.allCases.map { .string($0.rawValue) }))])),
                ("logo", string()),
                ("navigation", nav), ("contact", contact),
                ("social", array(object([("platform", string()), ("url", string())], required: ["platform", "url"]))),
                ("news_per_page", integer),
            ], required: ["name"])
        let theme = object([
            ("version", integer), ("preset", string()), ("overrides", .object([("type", .string("object")), ("additionalProperties", string())])),
        ])
        schemas += [
            ("Settings", settings), ("Theme", theme),
            ("Site", object([("tenant_id", string("uuid")), ("slug", string()), ("settings", ref("Settings")), ("theme", ref("Theme"))])),
            (
                "NewSite",
                object([("id", string("uuid")), ("slug", string()), ("settings", ref("Settings")), ("theme", ref("Theme"))], required: ["slug", "settings"])
            ),
            (
                "Section",
                .object([
                    ("type", .string("object")), ("required", .array([.string("type")])),
                    ("properties", .object([("type", .object([("enum", .array(Section.typeNames.map { .string($0) }))]))])),
                ])
            ),
            ("Error", errorSchema),
        ]
        return document(
            title: "KONI CMS service",
            description:
                "Content of the KONI branch websites. Public reads serve published content; admin writes need an RS256 bearer token (admin-cabang: own tenant; admin, superadmin: any). Every write emits cms.page_updated on the koni.events exchange.",
            server: "http://127.0.0.1:8003", paths: paths, schemas: schemas
        )
    }
}
