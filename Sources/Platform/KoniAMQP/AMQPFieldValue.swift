import Foundation

/// A value in an AMQP field table: queue and exchange arguments, message headers. Literals work:
/// `["x-dead-letter-exchange": "koni.dlx", "x-message-ttl": 60_000, "retry": true]`.
public indirect enum AMQPFieldValue: Sendable, Hashable {
    case string(String)
    case int(Int64)
    /// Only for unsigned 64-bit values received from a peer that do not fit in `Int64`.
    case uint64(UInt64)
    case bool(Bool)
    case double(Double)
    case decimal(scale: UInt8, value: UInt32)
    /// Seconds since 1970 (AMQP timestamps have a one-second resolution).
    case timestamp(Date)
    case bytes([UInt8])
    case array([AMQPFieldValue])
    case table([String: AMQPFieldValue])
    case void

    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The value of any integer case that fits in `Int`.
    public var intValue: Int? {
        switch self {
        case .int(let value): Int(exactly: value)
        case .uint64(let value): Int(exactly: value)
        default: nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    public var arrayValue: [AMQPFieldValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    public var tableValue: [String: AMQPFieldValue]? {
        if case .table(let value) = self { value } else { nil }
    }
}

extension AMQPFieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: AMQPFieldValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, AMQPFieldValue)...) {
        self = .table(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
