import ComproModel
import Foundation
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniStorage
import KoniTestSupport
import Logging
import MediaService
import NIOCore
import PostgresNIO
import Testing

/// The Media service on a fresh database, its files in a fresh folder (or a bucket).
struct MediaTestApp {
    var configuration: MediaConfiguration
    var storageRoot: String?

    init(storage: MediaConfiguration.Storage? = nil, maximumUploadBytes: Int = 40 << 20) async throws {
        let root = TemporaryFolders.make("media-files")
        configuration = MediaConfiguration(
            databaseURL: try await TestServers.makeDatabase(prefix: "media_test"), tokenKeys: .publicKeyPEM(TestKeys.publicKeyPEM),
            amqpURL: try TestServers.amqpURL, storage: storage ?? .fileSystem(root: root)
        )
        storageRoot = storage == nil ? root : nil
        configuration.port = 0
        configuration.maximumUploadBytes = maximumUploadBytes
        configuration.spoolDirectory = TemporaryFolders.make("media-spool")
    }

    func application(publisher: any OutboxPublisher = RecordingPublisher()) async throws -> some ApplicationProtocol {
        var logger = Logger(label: "media-test") { _ in JSONLogHandler(label: "media-test", level: .warning) }
        logger.logLevel = .warning
        return try await MediaServer.makeApplication(configuration: configuration, publisher: publisher, logger: logger)
    }

    /// Every object the file-system storage holds (relative paths).
    var storedObjects: [String] {
        guard let storageRoot else { return [] }
        return (FileManager.default.enumerator(atPath: storageRoot)?.allObjects as? [String] ?? []).filter {
            !$0.hasSuffix("/") && $0.contains("/") && $0.split(separator: "/").count == 3
        }
        .sorted()
    }

    /// Rows of `sql` on the service's database.
    func query<Row: Sendable & PostgresDecodable>(_ sql: String, as: Row.Type) async throws -> [Row] {
        try await TestServers.query(sql, on: configuration.databaseURL, as: Row.self)
    }
}

/// Tokens of the roles that matter here.
enum MediaTokens {
    static let jatim = BranchID.derived(slug: "jatim")
    static let jabar = BranchID.derived(slug: "jabar")
    static func adminCabang(of branch: UUID) throws -> String { try TestKeys.token(roles: ["admin-cabang"], tenantID: branch) }
}

/// A `multipart/form-data` body.
struct MultipartForm {
    let boundary = "koni-\(UUID().uuidString)"
    var bytes: [UInt8] = []

    mutating func field(_ name: String, _ value: String) {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }

    mutating func file(_ content: [UInt8], filename: String = "foto.jpg", type: String = "image/jpeg") {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
        bytes += content + Array("\r\n".utf8)
    }

    var body: [UInt8] { bytes + Array("--\(boundary)--\r\n".utf8) }
}

extension TestClientProtocol {
    /// A request with a bearer token; the answer's status, JSON (or nil) and raw bytes.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, token: String?, body: [UInt8]? = nil, contentType: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, json: JSONValue?, bytes: [UInt8], headers: HTTPFields) {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let contentType { headers[.contentType] = contentType }
        return try await execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { response in
            let bytes = Array(response.body.readableBytesView)
            return (response.status, try? JSONValue.parse(bytes), bytes, response.headers)
        }
    }

    func upload(_ form: MultipartForm, branch: String = "jatim", token: String?) async throws -> (
        status: HTTPResponse.Status, json: JSONValue?, bytes: [UInt8], headers: HTTPFields
    ) {
        try await call(.post, "/api/v1/media/\(branch)/files", token: token, body: form.body, contentType: "multipart/form-data; boundary=\(form.boundary)")
    }
}
