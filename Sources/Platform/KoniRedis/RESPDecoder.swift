import NIOCore

/// Reads RESP2 replies from the byte stream, treating the stream as outside data: every length
/// and count is range-checked before anything is allocated, integers are parsed without
/// trapping, nesting is bounded. Anything else is a protocol violation (the connection is then
/// closed: after a bad byte the stream cannot be trusted to be in step).
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    var maximumBulkBytes: Int
    static let maximumLineBytes = 64 * 1024
    static let maximumElements = 1 << 20
    static let maximumDepth = 16

    init(maximumBulkBytes: Int) {
        self.maximumBulkBytes = maximumBulkBytes
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        var copy = buffer
        guard let value = try Self.parse(&copy, depth: 0, maximumBulkBytes: maximumBulkBytes) else { return .needMoreData }
        buffer = copy
        context.fireChannelRead(wrapInboundOut(value))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    /// One value from the front of `buffer`, or nil when more bytes are needed (the buffer is then
    /// left in an unspecified position; the caller works on a copy).
    static func parse(_ buffer: inout ByteBuffer, depth: Int, maximumBulkBytes: Int) throws(RedisError) -> RESPValue? {
        guard depth < maximumDepth else { throw violation("replies nested deeper than \(maximumDepth) levels") }
        guard let type = buffer.readInteger(as: UInt8.self) else { return nil }
        guard let line = try readLine(&buffer) else { return nil }
        switch type {
        case UInt8(ascii: "+"):
            return .simpleString(String(decoding: line, as: UTF8.self))
        case UInt8(ascii: "-"):
            return .error(String(decoding: line, as: UTF8.self))
        case UInt8(ascii: ":"):
            return .integer(try integer(line))
        case UInt8(ascii: "$"):
            let length = try integer(line)
            if length == -1 { return .bulkString(nil) }
            guard length >= 0, length <= Int64(maximumBulkBytes) else {
                throw violation("a bulk string of \(length) bytes; at most \(maximumBulkBytes) are read")
            }
            let count = Int(length)
            guard buffer.readableBytes >= count + 2 else { return nil }
            guard let bytes = buffer.readBytes(length: count), buffer.readInteger(as: UInt16.self) == 0x0D0A else {
                throw violation("a bulk string not followed by CRLF")
            }
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            let length = try integer(line)
            if length == -1 { return .array(nil) }
            guard length >= 0, length <= Int64(maximumElements) else { throw violation("an array of \(length) elements; at most \(maximumElements)") }
            var elements: [RESPValue] = []
            elements.reserveCapacity(min(Int(length), 1024))
            for _ in 0..<Int(length) {
                guard let element = try parse(&buffer, depth: depth + 1, maximumBulkBytes: maximumBulkBytes) else { return nil }
                elements.append(element)
            }
            return .array(elements)
        default:
            throw violation("unknown reply type byte \(type)")
        }
    }

    /// The bytes up to CRLF (consumed), nil when no CRLF has arrived yet.
    private static func readLine(_ buffer: inout ByteBuffer) throws(RedisError) -> [UInt8]? {
        let view = buffer.readableBytesView
        guard let end = view.firstIndex(of: UInt8(ascii: "\r")) else {
            if view.count > maximumLineBytes { throw violation("a line longer than \(maximumLineBytes) bytes") }
            return nil
        }
        let length = end - view.startIndex
        guard length <= maximumLineBytes else { throw violation("a line longer than \(maximumLineBytes) bytes") }
        guard buffer.readableBytes >= length + 2 else { return nil }
        guard let line = buffer.readBytes(length: length), buffer.readInteger(as: UInt16.self) == 0x0D0A else {
            throw violation("a line ending in CR without LF")
        }
        return line
    }

    /// A signed 64-bit decimal integer, parsed without trapping.
    private static func integer(_ line: [UInt8]) throws(RedisError) -> Int64 {
        var digits = line[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        let refusal = violation("'\(String(decoding: line.prefix(24), as: UTF8.self))' is not a 64-bit integer")
        guard !digits.isEmpty, digits.count <= 19 else { throw refusal }
        var value: Int64 = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { throw refusal }
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { throw refusal }
            value = sum
        }
        return negative ? -value : value
    }

    private static func violation(_ message: String) -> RedisError { RedisError(.protocolViolation, message) }
}

/// Writes commands as RESP arrays of bulk strings (binary-safe).
enum RESPEncoder {
    static func encode(_ arguments: [[UInt8]], into buffer: inout ByteBuffer) {
        buffer.writeString("*\(arguments.count)\r\n")
        for argument in arguments {
            buffer.writeString("$\(argument.count)\r\n")
            buffer.writeBytes(argument)
            buffer.writeString("\r\n")
        }
    }
}
