import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 client over a plain socket. The tests need it rather than URLSession
/// because they must send paths exactly as written (`/%2e%2e/`, `/../`), see the raw gzip
/// bytes Nginx sends, and not follow redirects.
struct RawResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// False when the connection closed before Content-Length bytes arrived.
    var complete: Bool

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
}

enum RawHTTP {
    /// `GET path` with `Host: host` (none when nil) and `Connection: close`.
    static func get(
        port: Int, _ path: String, host: String?, headers: [String: String] = [:], method: String = "GET", version: String = "HTTP/1.1"
    ) throws -> RawResponse {
        var request = "\(method) \(path) \(version)\r\n"
        if let host { request += "Host: \(host)\r\n" }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        request += "Connection: close\r\n\r\n"
        return try send(port: port, Array(request.utf8), head: method == "HEAD")
    }

    /// Sends `bytes` as they are and reads the response until the server closes.
    static func send(port: Int, _ bytes: [UInt8], head: Bool = false) throws -> RawResponse {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawHTTPError(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RawHTTPError(description: "connect to \(port): \(String(cString: strerror(errno)))") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            guard written > 0 else { throw RawHTTPError(description: "write: \(String(cString: strerror(errno)))") }
            offset += written
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw RawHTTPError(description: "read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        return try parse(received, head: head)
    }

    static func parse(_ data: [UInt8], head: Bool) throws -> RawResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = data.firstRange(of: separator) else {
            throw RawHTTPError(description: "no header end in \(data.count) bytes: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        let headText = String(decoding: data[..<end.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw RawHTTPError(description: "bad status line: \(headText)") }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Array(data[end.upperBound...])
        var complete = true
        let response = RawResponse(status: status, headers: headers, body: [], complete: true)
        if head || status == 304 {
            body = []
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            (body, complete) = dechunk(body)
        } else if let length = response.header("Content-Length").flatMap(Int.init) {
            complete = body.count == length
        }
        return RawResponse(status: status, headers: headers, body: body, complete: complete)
    }

    static func dechunk(_ data: [UInt8]) -> ([UInt8], Bool) {
        var result: [UInt8] = []
        var index = 0
        while index < data.count {
            guard let lineEnd = data[index...].firstRange(of: [13, 10]) else { return (result, false) }
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return (result, false) }
            if size == 0 { return (result, true) }
            let start = lineEnd.upperBound
            guard start + size <= data.count else { return (result, false) }
            result.append(contentsOf: data[start..<(start + size)])
            index = start + size + 2
        }
        return (result, false)
    }
}
