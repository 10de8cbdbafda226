/// The JSON writer behind ``JSONLD/encode(_:)``: strings, string arrays and nested objects, as
/// `JSONSerialization` writes them (no spaces, keys sorted case-insensitively, control characters
/// as `\n`/`\u001f`, `/` unescaped), plus `<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`.
struct JSONLDWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1024) }

    /// Appends `value`; false when it holds a type this writer does not handle.
    mutating func write(_ value: Any) -> Bool {
        switch value {
        case let string as String:
            writeString(string)
        case let object as [String: Any]:
            bytes.append(UInt8(ascii: "{"))
            // JSONSerialization sorts with a case-insensitive comparison; the keys are our own ASCII names.
            let keys = object.keys.sorted { a, b in
                let (la, lb) = (a.lowercased(), b.lowercased())
                return la == lb ? a < b : la < lb
            }
            for (position, key) in keys.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                guard let child = object[key], write(child) else { return false }
            }
            bytes.append(UInt8(ascii: "}"))
        case let array as [String]:
            bytes.append(UInt8(ascii: "["))
            for (position, element) in array.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(element)
            }
            bytes.append(UInt8(ascii: "]"))
        default:
            return false
        }
        return true
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
            case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
            case 0x00..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
