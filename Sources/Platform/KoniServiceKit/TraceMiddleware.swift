import Crypto
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Gives every request a trace id and a uniform end: the id is taken from `traceparent` (W3C) or
/// `X-Request-ID`, put in every log line as `trace_id`, and echoed as `X-Request-ID`; any error a
/// handler throws becomes the JSON error body of ``APIError``; one access line is logged per request.
public struct TraceMiddleware: RouterMiddleware {
    public typealias Context = KoniRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let traceID = Self.traceID(from: request)
        context.traceID = traceID
        context.logger[metadataKey: "trace_id"] = .string(traceID)
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not_found" : error.status == .methodNotAllowed ? "method_not_allowed" : "http_error"
            let message = error.body ?? (error.status == .notFound ? "no such resource: \(request.uri.path)" : error.status.reasonPhrase)
            response = try APIError(error.status, code: code, message: message, headers: error.headers).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            // A body over the limit a handler read with `collect(upTo:)`: the client's fault.
            response = try APIError(.contentTooLarge, code: "body_too_large", message: "the request body is too large").response(
                from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": .string(String(reflecting: error))])
            response = try APIError.internalError.response(from: request, context: context)
        }
        response.headers[.init("X-Request-ID")!] = traceID
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code), "ms": .string(String((milliseconds * 100).rounded() / 100)),
            ]
        )
        return response
    }

    /// The trace id of `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`), else a well-formed
    /// `X-Request-ID` (at most 128 visible ASCII characters), else a new random id.
    public static func traceID(from request: Request) -> String {
        if let parent = request.headers[.init("traceparent")!] {
            let parts = parent.split(separator: "-")
            if parts.count == 4, parts[1].count == 32, parts[1].allSatisfy(\.isHexDigit), parts[1] != String(repeating: "0", count: 32) {
                return parts[1].lowercased()
            }
        }
        if let id = request.headers[.init("X-Request-ID")!], !id.isEmpty, id.utf8.count <= 128,
            id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
        {
            return id
        }
        return newTraceID()
    }

    public static func newTraceID() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var generator = SystemRandomNumberGenerator()
        var text: [UInt8] = []
        text.reserveCapacity(32)
        for _ in 0..<2 {
            var word = generator.next()
            for _ in 0..<16 {
                text.append(digits[Int(word & 0xF)])
                word >>= 4
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
