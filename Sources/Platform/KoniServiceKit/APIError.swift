import Foundation
import HTTPTypes
import Hummingbird
import KoniJSON

/// An error answered to the client as `{"error": {"code", "message", "field"?}}`.
///
/// `code` is a stable machine-readable word (`validation_failed`, `version_conflict`);
/// `message` says what is wrong in words; `field` names the offending field of the body.
public struct APIError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" + (field.map { " (field \($0))" } ?? "") }

    public var body: JSONValue {
        var error: [(key: String, value: JSONValue)] = [("code", .string(code)), ("message", .string(message))]
        if let field { error.append(("field", .string(field))) }
        return .object([("error", .object(error))])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body.jsonBytes)))
    }

    // MARK: Common errors

    public static func validation(_ error: FieldError) -> APIError {
        APIError(.unprocessableContent, code: "validation_failed", message: error.reason, field: error.field.isEmpty ? nil : error.field)
    }

    /// Runs a validation step; its ``FieldError`` becomes a 422 naming the field.
    public static func validating<T>(_ body: () throws(FieldError) -> T) throws(APIError) -> T {
        do { return try body() } catch { throw APIError.validation(error) }
    }

    public static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not_found", message: message) }

    public static func badRequest(_ code: String, _ message: String, field: String? = nil) -> APIError {
        APIError(.badRequest, code: code, message: message, field: field)
    }

    public static let unauthorized = APIError(
        .unauthorized, code: "unauthorized", message: "a valid bearer token is required", headers: [.wwwAuthenticate: "Bearer"]
    )

    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, code: "forbidden", message: message) }

    public static let internalError = APIError(.internalServerError, code: "internal_error", message: "the server could not complete the request")
}
