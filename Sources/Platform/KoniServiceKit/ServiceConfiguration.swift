import Foundation

/// A service's settings, read from command-line flags first and then from the environment.
///
/// Every setting has one name: `port` is the flag `--port` and the variable `<PREFIX>PORT`
/// (`KONI_CMS_PORT`). Nothing falls back silently: an unparsable value is an error naming
/// the setting.
public struct ServiceConfiguration: Sendable {
    public let prefix: String
    private let flags: [String: String]
    private let environment: [String: String]

    /// - Parameters:
    ///   - prefix: environment prefix such as `KONI_CMS_`.
    ///   - arguments: command-line arguments without the program name (`--port 8003`, `--port=8003`).
    public init(
        prefix: String, arguments: [String] = Array(CommandLine.arguments.dropFirst()), environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) {
        self.prefix = prefix
        self.environment = environment
        var flags: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw ConfigurationError(setting: argument, reason: "unexpected argument; settings are written --name value")
            }
            let body = argument.dropFirst(2)
            if let equals = body.firstIndex(of: "=") {
                flags[String(body[..<equals])] = String(body[body.index(after: equals)...])
            } else {
                guard index + 1 < arguments.count else { throw ConfigurationError(setting: String(body), reason: "has no value") }
                flags[String(body)] = arguments[index + 1]
                index += 1
            }
            index += 1
        }
        self.flags = flags
    }

    /// Settings from flags already parsed (by ArgumentParser: the options that were given), with
    /// the environment as the fallback.
    public init(prefix: String, flags: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.prefix = prefix
        self.flags = flags
        self.environment = environment
    }

    /// The environment variable of a setting: `database-url` → `KONI_CMS_DATABASE_URL`.
    public func variable(_ name: String) -> String {
        prefix + name.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    public func string(_ name: String) -> String? {
        flags[name] ?? environment[variable(name)]
    }

    public func string(_ name: String, default defaultValue: String) -> String {
        string(name) ?? defaultValue
    }

    public func requiredString(_ name: String) throws(ConfigurationError) -> String {
        guard let value = string(name), !value.isEmpty else {
            throw ConfigurationError(setting: name, reason: "is required: pass --\(name) or set \(variable(name))")
        }
        return value
    }

    public func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int> = 0...Int.max) throws(ConfigurationError) -> Int {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(setting: name, reason: "'\(text)' is not a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func bool(_ name: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let text = string(name) else { return defaultValue }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(setting: name, reason: "'\(text)' is not true or false")
        }
    }

    /// A file's contents, for settings given as a path (`jwt-public-key-file`).
    public func fileContents(_ name: String) throws(ConfigurationError) -> String? {
        guard let path = string(name) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(setting: name, reason: "cannot read the file '\(path)'")
        }
        return text
    }
}

/// A setting that is missing or invalid.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var setting: String
    public var reason: String

    public init(setting: String, reason: String) {
        self.setting = setting
        self.reason = reason
    }

    public var description: String { "setting '\(setting)' \(reason)" }
}
