import ComproModel
import Foundation
import HTTPTypes
import Hummingbird
import KoniServiceClient

/// Refuses a request without the right service key with 401, before the handler runs. Several
/// keys may be configured so that one can be rotated without downtime; each comparison runs in
/// constant time.
public struct ServiceKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    private let keys: [[UInt8]]

    /// Keys shorter than ``ServiceKey/minimumBytes`` are refused at start.
    public init(keys: [String]) throws(ConfigurationError) {
        guard !keys.isEmpty else { throw ConfigurationError(setting: "service-key", reason: "is required for /internal routes") }
        for key in keys where key.utf8.count < ServiceKey.minimumBytes {
            throw ConfigurationError(setting: "service-key", reason: "has \(key.utf8.count) bytes; at least \(ServiceKey.minimumBytes) are required")
        }
        self.keys = keys.map { Array($0.utf8) }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let given = request.headers[HTTPField.Name(ServiceKey.headerName)!], given.utf8.count <= 1024 else {
            throw APIError(.unauthorized, code: "unauthorized", message: "this route is for KONI services; send \(ServiceKey.headerName)")
        }
        let bytes = Array(given.utf8)
        var matched = false
        for key in keys where Digest.constantTimeEqual(key, bytes) { matched = true }
        guard matched else { throw APIError(.unauthorized, code: "unauthorized", message: "the service key is not valid") }
        return try await next(request, context)
    }

}
