import AsyncHTTPClient
import Foundation
import KoniJSON
import NIOCore
import NIOHTTP1

/// JSON calls from the admin to the Auth service and the CMS, with the user's bearer token, a
/// timeout and a bounded answer.
struct UpstreamClient: Sendable {
    let baseURL: String
    let http: HTTPClient
    var timeout: Duration = .seconds(5)
    static let maximumAnswerBytes = 4 << 20

    struct Reply: Sendable {
        var status: Int
        var body: JSONValue
        var etag: String?
    }

    /// `traceID` is sent as `X-Request-ID`: the CMS puts it into the events of the change, so
    /// the daemon can say when that change is live.
    func call(
        _ method: HTTPMethod, _ path: String, json: JSONValue? = nil, token: String? = nil, ifMatch: String? = nil, traceID: String? = nil,
        timeout: Duration? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let traceID { request.headers.add(name: "X-Request-ID", value: traceID) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let ifMatch { request.headers.add(name: "If-Match", value: ifMatch) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json.jsonBytes))
        }
        let response = try await http.execute(request, timeout: .milliseconds(Int64((timeout ?? self.timeout) / .milliseconds(1))))
        let bytes = try await response.body.collect(upTo: Self.maximumAnswerBytes)
        let body = bytes.readableBytes == 0 ? JSONValue.null : ((try? JSONValue.parse(Array(buffer: bytes))) ?? .null)
        return Reply(status: Int(response.status.code), body: body, etag: response.headers.first(name: "ETag"))
    }
}
