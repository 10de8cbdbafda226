import AsyncHTTPClient
import KoniJSON
import KoniServiceKit
import NIOHTTP1

/// JSON calls from the admin to the Auth service, the CMS and the daemon, with the user's bearer
/// token, on the platform's ``ServiceClient``: a timeout, a bounded answer, reads retried with
/// backoff and a circuit breaker per upstream. Writes are sent once: the person saving sees the
/// outcome and decides.
struct UpstreamClient: Sendable {
    typealias Reply = ServiceClient.Reply
    static let maximumAnswerBytes = 4 << 20

    let client: ServiceClient

    init(baseURL: String, http: HTTPClient = ServiceClient.sharedHTTPClient, timeout: Duration = .seconds(5)) {
        var settings = ServiceClient.Settings(baseURL: baseURL, headers: [])
        settings.timeout = timeout
        settings.maxResponseBytes = Self.maximumAnswerBytes
        client = ServiceClient(settings: settings, http: http)
    }

    /// `traceID` is sent as `X-Request-ID`: the CMS puts it into the events of the change, so
    /// the daemon can say when that change is live. An upstream that answers 502, 503 or 504
    /// after the retries comes back as that ``Reply`` too: the admin's pages say what it answered.
    /// `once` sends a read once (a long poll, whose timeout is its answer).
    func call(
        _ method: HTTPMethod, _ path: String, json: JSONValue? = nil, token: String? = nil, ifMatch: String? = nil, traceID: String? = nil,
        timeout: Duration? = nil, once: Bool = false
    ) async throws(ServiceCallError) -> Reply {
        var headers: [(name: String, value: String)] = []
        if let traceID { headers.append(("X-Request-ID", traceID)) }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if let ifMatch { headers.append(("If-Match", ifMatch)) }
        do {
            return try await client.send(method, path, body: json, headers: headers, idempotent: once ? false : nil, timeout: timeout)
        } catch {
            if case .status(let status, let body) = error { return Reply(status: status, body: body) }
            throw error
        }
    }
}
