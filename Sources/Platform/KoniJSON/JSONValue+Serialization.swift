import ComproModel

private let hexDigits = Array("0123456789abcdef".utf8)

extension JSONValue {
    /// Compact JSON text, object keys in their stored order. Whole numbers are written without a
    /// fraction (`2100`, not `2100.0`) so that values round-trip as the author typed them.
    public var jsonBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(into: &out)
        return out
    }

    public var jsonText: String { String(decoding: jsonBytes, as: UTF8.self) }

    public func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value): out.append(contentsOf: Self.numberText(value).utf8)
        case .string(let value): Self.writeString(value, into: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(pair.key, into: &out)
                out.append(UInt8(ascii: ":"))
                pair.value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func numberText(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 9.007_199_254_740_992e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Writes `text` quoted and escaped. Runs of bytes that need no escape are copied at once:
    /// this is the hot loop of every API response (and of every release manifest).
    public static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F else { continue }
                if start < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default:
                    out.append(contentsOf: [
                        UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)],
                    ])
                }
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The value of `key` in an object; nil for other values and missing keys.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// The type's name in error messages ("expected text, found a number").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "text"
        case .array: "list"
        case .object: "object"
        }
    }
}

/// Builds an ordered JSON object, leaving out nothing: absent optional values become `null`.
public struct JSONObjectBuilder: Sendable {
    public private(set) var pairs: [(key: String, value: JSONValue)] = []

    public init() {}

    public mutating func set(_ key: String, _ value: JSONValue) { pairs.append((key, value)) }
    public mutating func set(_ key: String, _ value: String) { pairs.append((key, .string(value))) }
    public mutating func set(_ key: String, _ value: Int) { pairs.append((key, .number(Double(value)))) }
    public mutating func set(_ key: String, _ value: Bool) { pairs.append((key, .bool(value))) }
    public mutating func set(_ key: String, _ value: [String]) { pairs.append((key, .array(value.map { .string($0) }))) }
    public mutating func set(_ key: String, _ value: String?) { pairs.append((key, value.map { .string($0) } ?? .null)) }
    public mutating func set(_ key: String, _ value: Int?) { pairs.append((key, value.map { .number(Double($0)) } ?? .null)) }

    public var value: JSONValue { .object(pairs) }
}
