/// Where something was written: a file and, when known, a line (1-based).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?

    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }

    public var description: String {
        if let line { return "\(file):\(line)" }
        return file
    }
}

/// One problem in a tenant's configuration or content, with the place it was found.
///
/// Rendered as `file:line: reason`, the form editors and CI logs turn into links.
public struct ContentError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var reason: String

    public init(_ location: SourceLocation, _ reason: String) {
        self.location = location
        self.reason = reason
    }

    public init(file: String, line: Int? = nil, _ reason: String) {
        self.init(SourceLocation(file: file, line: line), reason)
    }

    public var description: String { "\(location): \(reason)" }
}

/// Every problem found while loading one tenant; loading goes on past the first so that an
/// admin sees all mistakes at once.
public struct ContentErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ContentError]

    public init(_ errors: [ContentError]) {
        self.errors = errors
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}

/// Collects problems while a loader keeps going, then throws them together.
public struct ErrorCollector: Sendable {
    public private(set) var errors: [ContentError] = []

    public init() {}

    public mutating func add(_ error: ContentError) {
        errors.append(error)
    }

    public mutating func add(_ errors: [ContentError]) {
        self.errors.append(contentsOf: errors)
    }

    /// Runs `body`, recording a thrown ``ContentError`` or ``ContentErrors`` instead of propagating it.
    public mutating func collect<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as ContentError {
            errors.append(error)
        } catch let error as ContentErrors {
            errors.append(contentsOf: error.errors)
        } catch {
            errors.append(ContentError(file: "?", "\(error)"))
        }
        return nil
    }

    public func throwIfAny() throws(ContentErrors) {
        if !errors.isEmpty { throw ContentErrors(errors) }
    }
}
