import Hummingbird
import KoniJSON
import NIOCore

extension Request {
    /// The body parsed as JSON, at most `limit` bytes: 413 when larger, 415 when not declared as
    /// JSON, 400 when malformed. Reading stops at the limit, so a huge body costs no memory.
    public func jsonBody(limit: Int) async throws(APIError) -> JSONValue {
        if let type = headers[.contentType]?.lowercased(), !type.hasPrefix("application/json") {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "send the body as application/json")
        }
        if let length = headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Self.tooLarge(limit)
        }
        var bytes: [UInt8] = []
        do {
            for try await chunk in body {
                guard bytes.count + chunk.readableBytes <= limit else { throw Self.tooLarge(limit) }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("unreadable_body", "the request body could not be read: \(error)")
        }
        if bytes.isEmpty { throw APIError.badRequest("malformed_json", "the request body is empty; send a JSON object") }
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw APIError.badRequest("malformed_json", error.description)
        }
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "body_too_large", message: "the request body is larger than \(limit) bytes")
    }
}

extension Response {
    /// A JSON response with the given status and extra headers.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(bytes: value.jsonBytes, status: status, headers: headers)
    }

    public static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
