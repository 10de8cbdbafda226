import AsyncHTTPClient
import ComproModel
import KoniJSON
import KoniServiceClient
import NIOHTTP1

/// A JSON client of the CMS API (`--cms http://127.0.0.1:8003`), on the platform's
/// ``ServiceClient``: a timeout per attempt, GETs retried with backoff when the CMS fails to
/// answer (or answers 502, 503, 504), and a circuit breaker per client, so that a CMS that is down
/// costs the daemon a fast error per change rather than a timeout each.
package struct CMSClient: Sendable {
    package typealias Reply = ServiceClient.Reply

    let client: ServiceClient
    package var baseURL: String { client.settings.baseURL }

    /// `token` is sent as `Authorization: Bearer` (the admin API); the public API needs none.
    package init(baseURL: String, token: String? = nil, http: HTTPClient = ServiceClient.sharedHTTPClient) {
        var settings = ServiceClient.Settings(baseURL: baseURL, headers: token.map { [(name: "Authorization", value: "Bearer \($0)")] } ?? [])
        settings.timeout = .seconds(30)
        settings.maxResponseBytes = 64 << 20
        client = ServiceClient(settings: settings, http: http)
    }

    /// Sends a request; any answer (including 4xx) comes back as a ``Reply``, except the
    /// failures ``ServiceClient`` retries, which throw once the retries are spent.
    package func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil, headers extra: [(String, String)] = []) async throws(CMSClientError)
        -> Reply
    {
        do {
            return try await client.send(method, path, body: body, headers: extra.map { (name: $0.0, value: $0.1) })
        } catch {
            throw CMSClientError(path: path, error, baseURL: baseURL)
        }
    }

    /// GET that must succeed with 200.
    package func get(_ path: String) async throws(CMSClientError) -> JSONValue {
        let reply = try await send(.GET, path)
        guard reply.status == 200 else { throw CMSClientError(path: path, status: reply.status, body: reply.body) }
        return reply.body
    }

    /// GET of a JSON-lines answer (`application/x-ndjson`), handing each line to `body` as it
    /// arrives, so that an export of any size is never held whole. A line longer than
    /// `maximumLineBytes` is refused; a non-200 answer throws with the API's message; an error of
    /// `body` ends the read and is described in the error.
    package func lines(
        _ path: String, maximumLineBytes: Int = 16 << 20, timeout: Duration = .seconds(600), _ body: ([UInt8]) throws -> Void
    ) async throws(CMSClientError) {
        do {
            try await client.lines(path, maximumLineBytes: maximumLineBytes, timeout: timeout, body)
        } catch let error as ServiceCallError {
            if case .tooLarge = error { throw CMSClientError(path: path, message: "the CMS answered with a line longer than \(maximumLineBytes) bytes") }
            throw CMSClientError(path: path, error, baseURL: baseURL)
        } catch {
            throw CMSClientError(path: path, message: "\(error)")
        }
    }
}

/// A failed CMS call, with the API's own error message when it sent one.
package struct CMSClientError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var status: Int?
    package var message: String

    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    init(path: String, status: Int, body: JSONValue) {
        self.path = path
        self.status = status
        if case .string(let text) = body["error"]?["message"] ?? .null {
            let field: String = if case .string(let field) = body["error"]?["field"] ?? .null { " (field \(field))" } else { "" }
            message = "\(text)\(field)"
        } else {
            message = "HTTP \(status)"
        }
    }

    init(path: String, _ error: ServiceCallError, baseURL: String) {
        switch error {
        case .status(let status, let body): self.init(path: path, status: status, body: body)
        case .malformed(_, let reason): self.init(path: path, message: "the CMS answered with invalid JSON: \(reason)")
        case .tooLarge, .invalidPath, .cancelled: self.init(path: path, message: error.description)
        case .unreachable, .timeout, .circuitOpen: self.init(path: path, message: "cannot reach the CMS at \(baseURL): \(error)")
        }
    }

    package var description: String { "\(path): \(status.map { "\($0) " } ?? "")\(message)" }
}
