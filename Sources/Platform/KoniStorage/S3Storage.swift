import CCurl
import Crypto
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An S3-compatible bucket (AWS S3, MinIO, moto), addressed path-style
/// (`<endpoint>/<bucket>/<key>`), every request signed with AWS Signature Version 4 by libcurl
/// (`CURLOPT_AWS_SIGV4`) and carrying the SHA-256 of its body.
///
/// libcurl's easy interface blocks, so each request runs on a Dispatch thread, never on Swift's
/// cooperative pool.
package struct S3Storage: ObjectStorage {
    package struct Settings: Sendable {
        /// `https://s3.ap-southeast-3.amazonaws.com`, `http://127.0.0.1:9000` (no trailing slash needed).
        package var endpoint: String
        package var bucket: String
        package var region: String
        package var accessKeyID: String
        package var secretAccessKey: String
        /// Per request, connecting included.
        package var timeout: Duration = .seconds(30)

        package init(endpoint: String, bucket: String, region: String, accessKeyID: String, secretAccessKey: String) {
            var base = endpoint
            while base.hasSuffix("/") { base.removeLast() }
            self.endpoint = base
            self.bucket = bucket
            self.region = region
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
        }
    }

    package let settings: Settings

    package init(settings: Settings) throws(StorageError) {
        guard settings.endpoint.hasPrefix("http://") || settings.endpoint.hasPrefix("https://") else {
            throw StorageError(key: settings.endpoint, kind: .invalidKey, reason: "the S3 endpoint must be an http:// or https:// address")
        }
        guard Self.isBucketName(settings.bucket) else {
            throw StorageError(key: settings.bucket, kind: .invalidKey, reason: "not an S3 bucket name (3–63 of a-z 0-9 . -)")
        }
        guard !settings.accessKeyID.isEmpty, !settings.secretAccessKey.isEmpty, !settings.accessKeyID.contains(":") else {
            throw StorageError(key: settings.bucket, kind: .invalidKey, reason: "an access key id (without ':') and a secret are required")
        }
        guard koniCurlStarted else { throw StorageError(key: settings.endpoint, kind: .unavailable, reason: "libcurl did not start") }
        self.settings = settings
    }

    package var description: String { "\(settings.endpoint)/\(settings.bucket) (S3, \(settings.region))" }

    private static let emptyPayloadHash = SHA256.hash(data: [UInt8]()).hexString

    static func isBucketName(_ name: String) -> Bool {
        (3...63).contains(name.utf8.count)
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E }
    }

    package func put(key: String, file path: String, contentType: String) async throws(StorageError) {
        try StorageKey.check(key)
        let hash = try Self.sha256(ofFile: path, key: key)
        guard let upload = fopen(path, "rb") else {
            throw StorageError(key: key, kind: .unavailable, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(upload) }
        var info = stat()
        guard fstat(fileno(upload), &info) == 0 else { throw StorageError(key: key, kind: .unavailable, reason: "cannot stat \(path)") }
        let answer = try await request(
            "PUT", key: key, payloadHash: hash, contentType: contentType, upload: (upload, Int64(info.st_size)), maximumBytes: 1 << 20)
        guard answer.status == 200 else { throw answer.error(key: key) }
    }

    package func get(key: String, maximumBytes: Int) async throws(StorageError) -> [UInt8] {
        try StorageKey.check(key)
        let answer = try await request("GET", key: key, payloadHash: Self.emptyPayloadHash, contentType: nil, upload: nil, maximumBytes: maximumBytes)
        guard answer.status == 200 else { throw answer.error(key: key) }
        return answer.body
    }

    package func delete(key: String) async throws(StorageError) {
        try StorageKey.check(key)
        let answer = try await request("DELETE", key: key, payloadHash: Self.emptyPayloadHash, contentType: nil, upload: nil, maximumBytes: 1 << 20)
        guard answer.status == 204 || answer.status == 200 || answer.status == 404 else { throw answer.error(key: key) }
    }

    // MARK: One request

    struct Answer {
        var status: Int
        var body: [UInt8]

        /// S3's XML error (`<Code>NoSuchKey</Code>`) as a ``StorageError``.
        func error(key: String) -> StorageError {
            let text = String(decoding: body.prefix(4096), as: UTF8.self)
            let code = text.firstMatch(of: /<Code>([^<]{1,100})<\/Code>/).map { String($0.1) } ?? "HTTP \(status)"
            let kind: StorageError.Kind = status == 404 ? .notFound : .unavailable
            return StorageError(key: key, kind: kind, reason: "the store answered \(status) \(code)")
        }
    }

    private func request(
        _ method: String, key: String, payloadHash: String, contentType: String?, upload: (UnsafeMutablePointer<FILE>, Int64)?, maximumBytes: Int
    ) async throws(StorageError) -> Answer {
        let url = "\(settings.endpoint)/\(settings.bucket)/\(key)"
        let provider = "aws:amz:\(settings.region):s3"
        let credentials = "\(settings.accessKeyID):\(settings.secretAccessKey)"
        let milliseconds = Int(settings.timeout.components.seconds * 1000 + settings.timeout.components.attoseconds / 1_000_000_000_000_000)
        // FILE pointers are plain addresses here; each is used by one thread at a time.
        let uploadAddress = upload.map { UInt(bitPattern: $0.0) }
        let uploadSize = upload?.1 ?? 0
        let result: Result<Answer, StorageError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                guard let download = tmpfile() else {
                    continuation.resume(returning: .failure(StorageError(key: key, kind: .unavailable, reason: "no temporary file for the answer")))
                    return
                }
                defer { fclose(download) }
                var status = 0
                var error = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
                let uploadFile = uploadAddress.flatMap { UnsafeMutablePointer<FILE>(bitPattern: $0) }
                let code = koni_curl_s3(
                    method, url, provider, credentials, payloadHash, contentType ?? "", uploadFile, uploadSize, download,
                    Int64(maximumBytes), milliseconds, &status, &error
                )
                guard code == 0 else {
                    let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    let kind: StorageError.Kind = code == 63 ? .tooLarge : .unavailable  // CURLE_FILESIZE_EXCEEDED
                    continuation.resume(returning: .failure(StorageError(key: key, kind: kind, reason: "\(method) failed: \(reason)")))
                    return
                }
                continuation.resume(returning: .success(Answer(status: status, body: readAnswer(download, maximumBytes: maximumBytes))))
            }
        }
        return try result.get()
    }

    static func sha256(ofFile path: String, key: String) throws(StorageError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StorageError(key: key, kind: .unavailable, reason: "cannot read \(path)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().hexString
    }
}

extension Digest {
    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
