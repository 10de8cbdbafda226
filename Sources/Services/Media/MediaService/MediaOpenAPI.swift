import KoniJSON
import KoniServiceKit

/// The OpenAPI 3.1 description of the Media API, served at `/api/v1/media/openapi.json` and
/// checked route by route against the router (`MediaOpenAPITests`).
enum MediaOpenAPI: OpenAPIBuilding {
    static let served: JSONValue = build()

    static func build() -> JSONValue {
        let tenant = param("tenant")
        let id = param("id", schema: string("uuid"))
        let ifMatch = param("If-Match", in: "header", required: false)
        let errors: [(key: String, value: JSONValue)] = [
            ("400", response("malformed request", ref("Error"))), ("401", response("missing, invalid or expired token", ref("Error"))),
            ("403", response("the role may not use this branch's library", ref("Error"))),
            ("404", response("no such file or folder in this branch", ref("Error"))),
        ]
        let upload = JSONValue.object([
            ("required", .bool(true)),
            (
                "content",
                .object([
                    (
                        "multipart/form-data",
                        .object([
                            (
                                "schema",
                                object(
                                    [
                                        ("file", string("binary")), ("alt", string()), ("caption", string()), ("folder_id", string("uuid")),
                                    ], required: ["file"])
                            )
                        ])
                    )
                ])
            ),
        ])
        let change = object([("alt", string()), ("caption", string()), ("filename", string()), ("folder_id", nullable(string("uuid"))), ("version", integer)])
        let paths: [(key: String, value: JSONValue)] = [
            (
                "/api/v1/media/{tenant}/files",
                .object([
                    (
                        "get",
                        operation(
                            "The branch's files, newest first (keyset-paged: pass next as after)", tags: ["files"],
                            parameters: [
                                tenant, param("folder_id", in: "query", schema: string("uuid"), required: false),
                                param("limit", in: "query", schema: integer, required: false), param("after", in: "query", required: false),
                            ], responses: [("200", response("a page", object([("items", array(ref("File"))), ("next", nullable(string()))])))] + errors,
                            secured: true)
                    ),
                    (
                        "post",
                        operation(
                            "Upload a photograph (checked by content and limits, decoded whole before it is kept)", tags: ["files"], parameters: [tenant],
                            body: upload,
                            responses: [
                                ("201", response("stored", ref("File"))), ("413", response("too large", ref("Error"))),
                                ("415", response("not multipart/form-data", ref("Error"))), ("422", response("not an acceptable image", ref("Error"))),
                                ("503", response("storage unavailable; nothing saved", ref("Error"))),
                            ] + errors, secured: true)
                    ),
                ])
            ),
            (
                "/api/v1/media/{tenant}/files/{id}",
                .object([
                    (
                        "get",
                        operation(
                            "One file (ETag: its version)", tags: ["files"], parameters: [tenant, id],
                            responses: [("200", response("the file", ref("File")))] + errors, secured: true)
                    ),
                    (
                        "patch",
                        operation(
                            "Change alt text, caption, name or folder (If-Match or version required)", tags: ["files"], parameters: [tenant, id, ifMatch],
                            body: body(change),
                            responses: [
                                ("200", response("changed", ref("File"))), ("412", response("changed meanwhile", ref("Error"))),
                                ("428", response("no version given", ref("Error"))),
                            ] + errors, secured: true)
                    ),
                    (
                        "delete",
                        operation(
                            "Delete, unless content still names the file", tags: ["files"], parameters: [tenant, id],
                            responses: [
                                ("204", response("deleted")), ("409", response("in use; the items are named", ref("Error"))),
                                ("503", response("the CMS cannot say; kept", ref("Error"))),
                            ] + errors, secured: true)
                    ),
                ])
            ),
            (
                "/api/v1/media/{tenant}/files/{id}/preview",
                .object([
                    (
                        "get",
                        operation(
                            "480 px WebP, upright, without metadata", tags: ["files"], parameters: [tenant, id],
                            responses: [
                                (
                                    "200",
                                    .object([
                                        ("description", .string("the preview")),
                                        ("content", .object([("image/webp", .object([("schema", string("binary"))]))])),
                                    ])
                                )
                            ] + errors, secured: true)
                    )
                ])
            ),
            (
                "/api/v1/media/{tenant}/folders",
                .object([
                    (
                        "get",
                        operation(
                            "The branch's folders with their number of files", tags: ["folders"], parameters: [tenant],
                            responses: [("200", response("folders", object([("items", array(ref("Folder")))])))] + errors, secured: true)
                    ),
                    (
                        "post",
                        operation(
                            "Create a folder", tags: ["folders"], parameters: [tenant], body: body(object([("name", string())], required: ["name"])),
                            responses: [("201", response("created", ref("Folder"))), ("409", response("name taken", ref("Error")))] + errors, secured: true)
                    ),
                ])
            ),
            (
                "/api/v1/media/{tenant}/folders/{id}",
                .object([
                    (
                        "delete",
                        operation(
                            "Delete an empty folder", tags: ["folders"], parameters: [tenant, id],
                            responses: [("204", response("deleted")), ("409", response("holds files", ref("Error")))] + errors, secured: true)
                    )
                ])
            ),
        ]
        let schemas: [(key: String, value: JSONValue)] = [
            (
                "File",
                object([
                    ("id", string("uuid")), ("folder_id", nullable(string("uuid"))), ("filename", string()), ("media_type", string()), ("bytes", integer),
                    ("sha256", string()), ("width", integer), ("height", integer), ("alt", string()), ("caption", string()),
                    ("usable_on_public_pages", boolean),
                    ("uploaded_by", string()), ("version", integer), ("created_at", string("date-time")), ("updated_at", string("date-time")),
                ])
            ),
            ("Folder", object([("id", string("uuid")), ("name", string()), ("files", integer)])),
            ("Error", errorSchema),
        ]
        return document(
            title: "KONI Media service",
            description:
                "Each branch's photographs. Every route needs an RS256 bearer token with media:manage (or media:upload to upload) for the branch: admin-cabang its own, admin and superadmin all. Changes emit media.updated on the koni.events exchange.",
            server: "http://127.0.0.1:8008", paths: paths, schemas: schemas
        )
    }
}
