import KoniJSON

/// The pieces an OpenAPI 3.1 document is built from, for a service that keeps its document in
/// code next to its routes (`enum OpenAPIDocument: OpenAPIBuilding`): schemas, parameters,
/// responses, request bodies and operations as ``JSONValue``.
public protocol OpenAPIBuilding {}

extension OpenAPIBuilding {
    public static func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/schemas/\(name)"))]) }
    public static func string(_ format: String? = nil) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [("type", .string("string"))]
        if let format { pairs.append(("format", .string(format))) }
        return .object(pairs)
    }
    public static var integer: JSONValue { .object([("type", .string("integer"))]) }
    public static var boolean: JSONValue { .object([("type", .string("boolean"))]) }
    public static func array(_ items: JSONValue) -> JSONValue { .object([("type", .string("array")), ("items", items)]) }
    public static func nullable(_ schema: JSONValue) -> JSONValue { .object([("oneOf", .array([schema, .object([("type", .string("null"))])]))]) }
    public static func object(_ properties: [(String, JSONValue)], required: [String] = [], additional: Bool = false) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [("type", .string("object")), ("properties", .object(properties.map { ($0.0, $0.1) }))]
        if !required.isEmpty { pairs.append(("required", .array(required.map { .string($0) }))) }
        if !additional { pairs.append(("additionalProperties", .bool(false))) }
        return .object(pairs)
    }
    public static func param(_ name: String, in location: String = "path", schema: JSONValue = string(), required: Bool = true) -> JSONValue {
        .object([("name", .string(name)), ("in", .string(location)), ("required", .bool(required)), ("schema", schema)])
    }
    public static func response(_ description: String, _ schema: JSONValue? = nil) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [("description", .string(description))]
        if let schema { pairs.append(("content", .object([("application/json", .object([("schema", schema)]))]))) }
        return .object(pairs)
    }
    public static func body(_ schema: JSONValue) -> JSONValue {
        .object([("required", .bool(true)), ("content", .object([("application/json", .object([("schema", schema)]))]))])
    }
    public static func operation(
        _ summary: String, tags: [String], parameters: [JSONValue], body: JSONValue? = nil, responses: [(key: String, value: JSONValue)], secured: Bool
    ) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [
            ("summary", .string(summary)), ("tags", .array(tags.map { .string($0) })), ("parameters", .array(parameters)),
        ]
        if let body { pairs.append(("requestBody", body)) }
        pairs.append(("responses", .object(responses)))
        if secured { pairs.append(("security", .array([.object([("bearer", .array([]))])]))) }
        return .object(pairs)
    }

    /// The error body every KONI service answers with (`APIError`).
    public static var errorSchema: JSONValue {
        object([("error", object([("code", string()), ("message", string()), ("field", string())], required: ["code", "message"]))], required: ["error"])
    }

    /// The whole document: `info`, one server, `paths`, the `schemas` and the bearer scheme.
    public static func document(
        title: String, description: String, server: String, paths: [(key: String, value: JSONValue)], schemas: [(key: String, value: JSONValue)]
    ) -> JSONValue {
        .object([
            ("openapi", .string("3.1.0")),
            ("info", .object([("title", .string(title)), ("version", .string("1.0.0")), ("description", .string(description))])),
            ("servers", .array([.object([("url", .string(server))])])),
            ("paths", .object(paths)),
            (
                "components",
                .object([
                    ("schemas", .object(schemas)),
                    (
                        "securitySchemes",
                        .object([("bearer", .object([("type", .string("http")), ("scheme", .string("bearer")), ("bearerFormat", .string("JWT"))]))])
                    ),
                ])
            ),
        ])
    }
}
