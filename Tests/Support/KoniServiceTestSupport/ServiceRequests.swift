import HTTPTypes
import HummingbirdTesting
import KoniJSON
import NIOCore

/// A service's answer in a test: the status, the body as JSON (`null` when it is not JSON) and as text.
package struct ServiceReply: Sendable {
    package var status: Int
    package var json: JSONValue
    package var text: String
}

extension TestClientProtocol {
    /// `method path` with a JSON body (or raw bytes sent as JSON), a bearer token and extra headers.
    package func jsonRequest(
        _ method: HTTPRequest.Method, _ path: String, json: JSONValue? = nil, raw: [UInt8]? = nil, token: String? = nil, headers extra: [(String, String)] = []
    ) async throws -> ServiceReply {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        let bytes = json.map(\.jsonBytes) ?? raw
        if bytes != nil { headers[.contentType] = "application/json" }
        for (name, value) in extra {
            guard let field = HTTPField.Name(name) else { continue }
            headers[field] = value
        }
        return try await execute(uri: path, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) }) { response in
            let text = String(buffer: response.body)
            return ServiceReply(status: Int(response.status.code), json: (try? JSONValue.parse(Array(text.utf8))) ?? .null, text: text)
        }
    }
}

extension JSONValue {
    /// The text of a string value.
    package var text: String? { if case .string(let value) = self { value } else { nil } }
    /// A number value as an `Int`.
    package var int: Int? { if case .number(let value) = self { Int(value) } else { nil } }
    /// The elements of an array value (none for anything else).
    package var list: [JSONValue] { if case .array(let items) = self { items } else { [] } }
}
