/// The parts of an `amqp://` URL (the RabbitMQ URI specification, without TLS and query
/// parameters, which this library does not support).
struct AMQPURL: Equatable {
    var host: String
    var port: Int
    var user: String
    var password: String
    var virtualHost: String

    init(_ url: String) throws(AMQPError) {
        let shown = Self.redacted(url)
        func bad(_ reason: String) -> AMQPError { .invalidURL(url: shown, reason: reason) }

        guard let schemeEnd = url.range(of: "://") else {
            throw bad("expected amqp://user:password@host:port/vhost")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        if scheme == "amqps" { throw bad("TLS (amqps://) is not supported; use amqp://") }
        guard scheme == "amqp" else { throw bad("the scheme must be amqp://, not \(scheme)://") }
        var rest = url[schemeEnd.upperBound...]
        if rest.contains("?") { throw bad("query parameters are not supported; set them in AMQPConfiguration") }
        if rest.contains("#") { throw bad("a fragment (#…) is not allowed") }

        let authority: Substring
        let path: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        } else {
            authority = rest
            path = ""
        }
        rest = authority

        user = "guest"
        password = "guest"
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let rawUser: Substring
            var rawPassword: Substring? = nil
            if let colon = userInfo.firstIndex(of: ":") {
                rawUser = userInfo[..<colon]
                rawPassword = userInfo[userInfo.index(after: colon)...]
            } else {
                rawUser = userInfo
            }
            user = try Self.percentDecode(rawUser, part: "user name", url: shown)
            guard !user.isEmpty else { throw bad("the user name is empty") }
            password =
                try rawPassword.map { (raw) throws(AMQPError) in
                    try Self.percentDecode(raw, part: "password", url: shown)
                } ?? ""
        }

        var hostPart: Substring
        var portPart: Substring? = nil
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw bad("an IPv6 address needs a closing ']'") }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw bad("unexpected '\(after)' after the IPv6 address") }
                portPart = after.dropFirst()
            }
            guard !hostPart.isEmpty, hostPart.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw bad("'\(hostPart)' is not an IPv6 address")
            }
        } else {
            if let colon = rest.lastIndex(of: ":") {
                hostPart = rest[..<colon]
                portPart = rest[rest.index(after: colon)...]
            } else {
                hostPart = rest
            }
            guard !hostPart.isEmpty else { throw bad("the host is missing") }
            let allowed: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }
            guard hostPart.allSatisfy(allowed) else {
                throw bad("'\(hostPart)' is not a host name or IPv4 address")
            }
        }
        host = String(hostPart)

        if let portPart {
            guard let value = Int(portPart), portPart.allSatisfy(\.isASCII), (1...65535).contains(value) else {
                throw bad("the port '\(portPart)' is not a number between 1 and 65535")
            }
            port = value
        } else {
            port = 5672
        }

        if path.contains("/") {
            throw bad("the virtual host must be a single path segment; write '/' inside it as %2f")
        }
        let vhost = try Self.percentDecode(path, part: "virtual host", url: shown)
        virtualHost = vhost.isEmpty ? "/" : vhost
    }

    /// `url` with the password replaced by `***`, for error messages.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<authority.index(after: colon)]) + "***" + String(url[at...])
    }

    static func percentDecode(_ text: Substring, part: String, url: String) throws(AMQPError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw .invalidURL(url: url, reason: "the \(part) has a '%' that is not followed by two hex digits")
                }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .invalidURL(url: url, reason: "the \(part) is not UTF-8 after percent-decoding")
        }
        guard !decoded.contains("\0") else {
            throw .invalidURL(url: url, reason: "the \(part) contains a NUL character")
        }
        guard decoded.utf8.count <= 255 else {
            throw .invalidURL(url: url, reason: "the \(part) is longer than 255 bytes")
        }
        return decoded
    }

    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if scalar.isASCII, Character(scalar).isLetter || Character(scalar).isNumber || "-._~".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
