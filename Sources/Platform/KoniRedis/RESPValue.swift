/// One RESP2 reply (Redis serialization protocol).
package enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    /// nil is the null bulk string (`$-1`).
    case bulkString([UInt8]?)
    /// nil is the null array (`*-1`).
    case array([RESPValue]?)

    /// The reply as text: a simple or bulk string (UTF-8), an integer's digits; nil otherwise.
    package var text: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes?): String(decoding: bytes, as: UTF8.self)
        case .integer(let value): String(value)
        default: nil
        }
    }

    package var isNull: Bool {
        switch self {
        case .bulkString(nil), .array(nil): true
        default: false
        }
    }
}
