import Hummingbird
import KoniJSON
import KoniServiceKit

/// The version a write expects, from `If-Match: "<version>"` or the body's `version`.
///
/// A mismatch is answered 412 when it came from If-Match (the HTTP precondition) and 409 when it
/// came from the body; updates without either are refused with 428, so that two admins never
/// silently overwrite each other.
struct ExpectedVersion {
    enum Origin { case ifMatch, body }
    var version: Int
    var origin: Origin

    static func from(_ request: Request, body: JSONValue?, required: Bool) throws(APIError) -> ExpectedVersion? {
        if let header = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces) {
            if header == "*" { return nil }
            let text = header.hasPrefix("W/") ? String(header.dropFirst(2)) : header
            guard text.count >= 3, text.hasPrefix("\""), text.hasSuffix("\""), let version = Int(text.dropFirst().dropLast()) else {
                throw APIError.badRequest("invalid_if_match", "If-Match must be an entity tag from this API, such as \"3\"")
            }
            return ExpectedVersion(version: version, origin: .ifMatch)
        }
        if let body, let value = body["version"], value != .null {
            guard case .number(let number) = value, number.rounded() == number, number >= 1, number < 1e9 else {
                throw APIError.validation(FieldError(field: "version", reason: "expected the whole number the API returned as version"))
            }
            return ExpectedVersion(version: Int(number), origin: .body)
        }
        if required {
            throw APIError(
                .preconditionRequired, code: "precondition_required",
                message: "send If-Match with the item's ETag (or its version in the body) so that concurrent edits are detected"
            )
        }
        return nil
    }

    func conflict(current: Int) -> APIError {
        switch origin {
        case .ifMatch:
            APIError(
                .preconditionFailed, code: "precondition_failed",
                message: "the item has changed: it is at version \(current), not \(version); reload it and retry")
        case .body:
            APIError(
                .conflict, code: "version_conflict", message: "the item has changed: it is at version \(current), not \(version); reload it and retry",
                field: "version")
        }
    }
}
