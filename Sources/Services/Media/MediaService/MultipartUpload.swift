import Foundation
import Hummingbird
import KoniServiceKit
import MultipartKit
import NIOCore

/// A `multipart/form-data` upload read as it arrives: the `file` part streamed to a spool file,
/// never held in memory whole, and the other parts (short text fields) kept. Every size is
/// bounded before it is used: the whole body, the file, each field and the number of parts.
struct MultipartUpload {
    var filePath: String?
    var fileBytes = 0
    var filename = ""
    var fields: [String: String] = [:]

    static let maximumFieldBytes = 4096
    static let maximumParts = 16
    /// What a form adds around the file: part headers, boundaries, text fields.
    static let overheadBytes = 64 << 10

    /// Removes the spool file.
    func remove() {
        if let filePath { unlink(filePath) }
    }

    /// The file's bytes (at most the upload limit, which the spooling enforced).
    func fileContents() throws(APIError) -> [UInt8] {
        guard let filePath, let data = FileManager.default.contents(atPath: filePath) else {
            throw APIError(.badRequest, code: "missing_file", message: "the form has no file part named 'file'", field: "file")
        }
        return Array(data)
    }

    static func receive(_ request: Request, limit: Int, spool: String) async throws(APIError) -> MultipartUpload {
        guard let type = request.headers[.contentType], let boundary = Self.boundary(type) else {
            throw APIError(.unsupportedMediaType, code: "multipart_required", message: "send the file as multipart/form-data with a boundary")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit + overheadBytes {
            throw Self.tooLarge(limit)
        }
        let state = State(limit: limit, spool: spool)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.partComplete() }
        var received = 0
        do {
            for try await buffer in request.body {
                received += buffer.readableBytes
                if received > limit + overheadBytes { state.failure = Self.tooLarge(limit) }
                if state.failure != nil { break }
                try parser.execute(buffer)
                if state.failure != nil { break }
            }
        } catch {
            state.close()
            state.upload.remove()
            throw APIError(.badRequest, code: "malformed_multipart", message: "the form could not be read: it is not valid multipart/form-data")
        }
        state.close()
        if let failure = state.failure {
            state.upload.remove()
            throw failure
        }
        return state.upload
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "file_too_large", message: "the file is larger than \(limit / (1 << 20)) MiB", field: "file")
    }

    /// The boundary of `multipart/form-data; boundary=…` (RFC 2046: 1 to 70 characters).
    static func boundary(_ contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            var value = String(part.dropFirst("boundary=".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            guard (1...70).contains(value.utf8.count), value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            return value
        }
        return nil
    }

    /// The parser's callbacks write here; it lives only inside one request's task.
    private final class State {
        let limit: Int
        let spool: String
        var upload = MultipartUpload()
        var failure: APIError?
        var parts = 0
        var name: String?
        var partFilename: String?
        var field: [UInt8] = []
        var output: FileHandle?

        init(limit: Int, spool: String) {
            self.limit = limit
            self.spool = spool
        }

        func header(_ headerName: String, _ value: String) {
            guard headerName.lowercased() == "content-disposition" else { return }
            name = Self.parameter("name", in: value)
            partFilename = Self.parameter("filename", in: value)
        }

        func body(_ buffer: inout ByteBuffer) {
            guard failure == nil else { return }
            if name == "file" {
                if output == nil { start() }
                upload.fileBytes += buffer.readableBytes
                guard upload.fileBytes <= limit else {
                    failure = MultipartUpload.tooLarge(limit)
                    return
                }
                if let bytes = buffer.readBytes(length: buffer.readableBytes) { output?.write(Data(bytes)) }
            } else {
                field += buffer.readBytes(length: buffer.readableBytes) ?? []
                if field.count > MultipartUpload.maximumFieldBytes {
                    failure = APIError(.contentTooLarge, code: "field_too_large", message: "a form field is longer than 4 KiB", field: name)
                }
            }
        }

        func partComplete() {
            parts += 1
            if parts > MultipartUpload.maximumParts {
                failure = APIError(.badRequest, code: "too_many_parts", message: "the form has more than \(MultipartUpload.maximumParts) parts")
            }
            if name == "file" {
                if output == nil { start() }
                upload.filename = partFilename ?? ""
            } else if let name, failure == nil {
                guard let text = String(validating: field, as: UTF8.self) else {
                    failure = APIError(.badRequest, code: "invalid_field", message: "the field is not UTF-8 text", field: name)
                    return
                }
                upload.fields[name] = text
            }
            name = nil
            partFilename = nil
            field = []
        }

        func start() {
            guard upload.filePath == nil else {
                failure = APIError(.badRequest, code: "one_file", message: "send one file per upload", field: "file")
                return
            }
            let path = "\(spool)/koni-media-\(UUID().uuidString).upload"
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
                let handle = FileHandle(forWritingAtPath: path)
            else {
                failure = APIError(.internalServerError, code: "spool_failed", message: "the upload could not be stored for checking")
                return
            }
            upload.filePath = path
            output = handle
        }

        func close() {
            try? output?.close()
            output = nil
        }

        /// `name="file"` in a Content-Disposition value (quoted or not).
        static func parameter(_ key: String, in value: String) -> String? {
            for part in value.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces)
                guard pair.lowercased().hasPrefix("\(key)=") else { continue }
                var text = String(pair.dropFirst(key.count + 1))
                if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
                return String(text.prefix(255))
            }
            return nil
        }
    }
}
