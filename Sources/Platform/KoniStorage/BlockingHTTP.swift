import CCurl
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A GET that blocks its thread (libcurl's easy interface), for code that already runs on worker
/// threads and cannot await: the site build's image step fetching a photo from the Media service.
package enum BlockingHTTP {
    package struct Answer: Sendable {
        package var status: Int
        package var body: [UInt8]
    }

    /// GETs `url` with the extra `header` line (`Name: value`); the body is refused past
    /// `maximumBytes`. Errors say what failed, never the header (it may hold a key).
    package static func get(_ url: String, header: String? = nil, maximumBytes: Int, timeout: Duration = .seconds(30)) throws(StorageError) -> Answer {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw StorageError(key: url, kind: .invalidKey, reason: "not an http:// or https:// address")
        }
        guard koniCurlStarted else { throw StorageError(key: url, kind: .unavailable, reason: "libcurl did not start") }
        guard let download = tmpfile() else { throw StorageError(key: url, kind: .unavailable, reason: "no temporary file for the answer") }
        defer { fclose(download) }
        var status = 0
        var error = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let milliseconds = Int(timeout.components.seconds * 1000)
        let code = koni_curl_get(url, header ?? "", download, Int64(maximumBytes), milliseconds, &status, &error)
        guard code == 0 else {
            let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw StorageError(key: url, kind: code == 63 ? .tooLarge : .unavailable, reason: "GET failed: \(reason)")
        }
        return Answer(status: status, body: readAnswer(download, maximumBytes: maximumBytes))
    }
}

/// What libcurl wrote to `file`, from its start, at most a little past `maximumBytes`.
func readAnswer(_ file: UnsafeMutablePointer<FILE>, maximumBytes: Int) -> [UInt8] {
    rewind(file)
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 << 10)
    while bytes.count <= maximumBytes {
        let count = fread(&chunk, 1, chunk.count, file)
        if count == 0 { break }
        bytes += chunk[0..<count]
    }
    return bytes
}

/// libcurl's global start, once per process, before any request.
let koniCurlStarted: Bool = koni_curl_start() == 0
