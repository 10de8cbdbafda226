import AsyncHTTPClient
import Foundation
import KoniJSON
import NIOCore

/// The `/_control/` routes the local fakes of outside services (Midtrans, the international
/// tournament API) are steered through.
package enum FakeServerControl {
    package struct Failure: Error, CustomStringConvertible { package var description: String }

    /// Posts `body` to `baseURL/_control/<path>` (or GETs it); the answer's JSON.
    package static func call(baseURL: String, _ path: String, _ body: JSONValue, get: Bool) async throws -> JSONValue {
        var request = HTTPClientRequest(url: baseURL + "/_control/" + path)
        request.method = get ? .GET : .POST
        if !get {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.jsonBytes))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw Failure(description: "/_control/\(path) answered \(response.status.code): \(String(buffer: bytes))")
        }
        return try JSONValue.parse(Array(bytes.readableBytesView))
    }
}
