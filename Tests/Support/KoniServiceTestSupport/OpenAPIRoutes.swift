import KoniJSON

/// Compares a service's OpenAPI document with the routes its router serves, both ways.
package enum OpenAPIRoutes {
    /// `served` as `"GET /api/v1/x/:tenant"` (Hummingbird's form) against the document's paths
    /// (`/api/v1/x/{tenant}`): what is served but not documented, and what is documented but not
    /// served. `ignoring` lists served routes the document need not name (the document's own).
    package static func differences(served: [String], document: JSONValue, ignoring: Set<String> = []) -> (undocumented: [String], imaginary: [String]) {
        let routes = Set(served.map { $0.replacing(/:([A-Za-z_]+)/) { "{\($0.1)}" } }).subtracting(ignoring)
        var documented = Set<String>()
        if case .object(let pairs) = document, case .object(let paths)? = pairs.first(where: { $0.key == "paths" })?.value {
            for (path, item) in paths {
                guard case .object(let operations) = item else { continue }
                for (method, _) in operations where ["get", "put", "post", "delete", "patch"].contains(method) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
        }
        return (routes.subtracting(documented).sorted(), documented.subtracting(routes).sorted())
    }
}
