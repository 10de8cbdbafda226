/// A field of a request body that breaks a rule: which field (a path such as `photos[1].alt`) and
/// why. The service answers it as 422 with both.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { field.isEmpty ? reason : "'\(field)': \(reason)" }
}
