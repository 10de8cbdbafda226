import KoniJSON

/// A refused webhook body or event, with the field at fault.
package struct InvalidField: Error, Sendable, CustomStringConvertible {
    package var field: String
    package var reason: String

    package init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    init(_ error: FieldError) {
        self.init(field: error.field.isEmpty ? "body" : error.field, reason: error.reason)
    }

    package var description: String { "\(field): \(reason)" }

    /// Parses `body` as a JSON object, or says why it is not one. KoniJSON's parser bounds the
    /// nesting depth, so a body of `[[[[…` is refused instead of exhausting the stack.
    static func jsonObject(_ body: [UInt8]) throws(InvalidField) -> JSONFields {
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(body)
        } catch {
            throw InvalidField(field: "body", reason: error.description)
        }
        guard case .object = parsed else { throw InvalidField(field: "body", reason: "expected a JSON object") }
        return try fields { () throws(FieldError) in try JSONFields(parsed) }
    }

    /// Runs a KoniJSON field read, turning its error into this one.
    static func fields<T>(_ read: () throws(FieldError) -> T) throws(InvalidField) -> T {
        do { return try read() } catch { throw InvalidField(error) }
    }
}
