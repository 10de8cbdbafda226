import Foundation

/// A refused webhook body or event, with the field at fault.
public struct InvalidField: Error, Sendable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }

    /// Parses `body` as a JSON object, or says why it is not one.
    static func jsonObject(_ body: [UInt8]) throws(InvalidField) -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw InvalidField(field: "body", reason: "malformed JSON")
        }
        guard let object = parsed as? [String: Any] else { throw InvalidField(field: "body", reason: "expected a JSON object") }
        return object
    }
}
