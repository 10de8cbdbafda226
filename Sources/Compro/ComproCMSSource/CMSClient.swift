import AsyncHTTPClient
import Foundation
import ComproModel
import KoniJSON
import NIOCore
import NIOHTTP1

/// A small JSON client of the CMS API (`--cms http://127.0.0.1:8003`).
public struct CMSClient: Sendable {
    public var baseURL: String
    public var token: String?
    let http: HTTPClient

    public init(baseURL: String, token: String? = nil, http: HTTPClient = .shared) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.http = http
    }

    public struct Reply: Sendable {
        public var status: Int
        public var body: JSONValue
        public var etag: String?
    }

    /// Sends a request; any answer (including 4xx) comes back as a ``Reply``.
    public func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil, headers extra: [(String, String)] = []) async throws(CMSClientError) -> Reply
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.jsonBytes))
        }
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            let buffer = try await response.body.collect(upTo: 64 << 20)
            let bytes = Array(buffer.readableBytesView)
            let json = bytes.isEmpty ? JSONValue.null : try JSONValue.parse(bytes)
            return Reply(status: Int(response.status.code), body: json, etag: response.headers.first(name: "ETag"))
        } catch let error as JSONSyntaxError {
            throw CMSClientError(path: path, message: "the CMS answered with invalid JSON: \(error)")
        } catch {
            throw CMSClientError(path: path, message: "cannot reach the CMS at \(baseURL): \(error)")
        }
    }

    /// GET that must succeed with 200.
    public func get(_ path: String) async throws(CMSClientError) -> JSONValue {
        let reply = try await send(.GET, path)
        guard reply.status == 200 else { throw CMSClientError(path: path, status: reply.status, body: reply.body) }
        return reply.body
    }
}

extension CMSClient {
    /// GET of a JSON-lines answer (`application/x-ndjson`), handing each line to `body` as it
    /// arrives, so that an export of any size is never held whole. A line longer than
    /// `maximumLineBytes` is refused; a non-200 answer throws with the API's message.
    public func lines(
        _ path: String, maximumLineBytes: Int = 16 << 20, timeout: TimeAmount = .seconds(600), _ body: ([UInt8]) throws -> Void
    ) async throws(CMSClientError) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.headers.add(name: "Accept", value: "application/x-ndjson")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        do {
            let response = try await http.execute(request, timeout: timeout)
            guard response.status == .ok else {
                let buffer = try await response.body.collect(upTo: 1 << 20)
                let json = (try? JSONValue.parse(Array(buffer.readableBytesView))) ?? .null
                throw CMSClientError(path: path, status: Int(response.status.code), body: json)
            }
            var pending: [UInt8] = []
            let newline = UInt8(ascii: "\n")
            for try await chunk in response.body {
                var view = chunk.readableBytesView[...]
                while let end = view.firstIndex(of: newline) {
                    pending += view[view.startIndex..<end]
                    guard pending.count <= maximumLineBytes else { break }
                    try body(pending)
                    pending.removeAll(keepingCapacity: true)
                    view = view[view.index(after: end)...]
                }
                pending += view
                guard pending.count <= maximumLineBytes else {
                    throw CMSClientError(path: path, message: "the CMS answered with a line longer than \(maximumLineBytes) bytes")
                }
            }
            if !pending.isEmpty { try body(pending) }
        } catch let error as CMSClientError {
            throw error
        } catch let error as HTTPClientError {
            throw CMSClientError(path: path, message: "cannot read from the CMS at \(baseURL): \(error)")
        } catch {
            throw CMSClientError(path: path, message: "\(error)")
        }
    }
}

/// A failed CMS call, with the API's own error message when it sent one.
public struct CMSClientError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var status: Int?
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    init(path: String, status: Int, body: JSONValue) {
        self.path = path
        self.status = status
        if case .string(let text) = body["error"]?["message"] ?? .null {
            let field: String = if case .string(let field) = body["error"]?["field"] ?? .null { " (field \(field))" } else { "" }
            message = "\(text)\(field)"
        } else {
            message = "HTTP \(status)"
        }
    }

    public var description: String { "\(path): \(status.map { "\($0) " } ?? "")\(message)" }
}
