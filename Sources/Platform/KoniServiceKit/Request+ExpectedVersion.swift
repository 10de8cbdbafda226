import Foundation
import Hummingbird
import KoniJSON

extension Request {
    /// The version a change is based on: `If-Match: "3"` (the ETag the client read) or `version`
    /// in the body; one is required, so that a change never lands on a version its author did not see.
    /// - Parameter resource: what the ETag belongs to, for the error ("the file").
    public func expectedVersion(_ fields: JSONFields, of resource: String) throws(APIError) -> Int {
        if let match = headers[.ifMatch] {
            let text = match.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))
            guard let version = Int(text), version > 0 else { throw APIError.badRequest("invalid_if_match", "If-Match must be \(resource)'s ETag") }
            return version
        }
        guard let version = try APIError.validating({ () throws(FieldError) in try fields.int("version") }), version > 0 else {
            throw APIError(.preconditionRequired, code: "version_required", message: "send the version you edited (If-Match or version)")
        }
        return version
    }
}
