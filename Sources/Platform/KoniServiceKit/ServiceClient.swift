import AsyncHTTPClient
import Foundation
import KoniJSON
import NIOCore
import NIOHTTP1

/// Calls another KONI service's `/internal/…` API (`GET /internal/tenants/{id}` …), or an outside
/// JSON API such as Midtrans, the way every service should: the service key in
/// ``ServiceKey/headerName`` (or the outside API's own credentials), a timeout per attempt, retries
/// with exponential backoff and jitter for idempotent calls that failed to connect or got 502,
/// 503 or 504, a bounded answer size, and a ``CircuitBreaker`` so that a dependency that is down
/// costs callers a fast error, not a timeout each.
public struct ServiceClient: Sendable {
    public struct Settings: Sendable {
        /// `http://tenant-service.internal:8002`, no trailing slash needed.
        public var baseURL: String
        /// Sent with every request: the service key, or an outside API's `Authorization`.
        public var headers: [(name: String, value: String)]
        public var timeout: Duration = .seconds(2)
        /// Attempts of an idempotent call (the first included).
        public var maxAttempts = 3
        public var initialBackoff: Duration = .milliseconds(100)
        public var maxBackoff: Duration = .seconds(2)
        public var maxResponseBytes = 1 << 20
        /// Answers that count as the dependency failing (retried, and fed to the breaker); any
        /// other status comes back as a ``Reply``.
        public var failureStatuses: Set<Int> = [502, 503, 504]

        /// A KONI service's `/internal` API, called with `serviceKey`.
        public init(baseURL: String, serviceKey: String) {
            self.init(baseURL: baseURL, headers: [(ServiceKey.headerName, serviceKey)])
        }

        /// Any JSON API, called with `headers`.
        public init(baseURL: String, headers: [(name: String, value: String)]) {
            var base = baseURL
            while base.hasSuffix("/") { base.removeLast() }
            self.baseURL = base
            self.headers = headers
        }
    }

    /// What came back: the status and the JSON body (`null` when empty).
    public struct Reply: Sendable {
        public var status: Int
        public var body: JSONValue
    }

    public let settings: Settings
    public let breaker: CircuitBreaker
    let http: HTTPClient

    public init(settings: Settings, breaker: CircuitBreaker = CircuitBreaker(), http: HTTPClient = .shared) {
        self.settings = settings
        self.breaker = breaker
        self.http = http
    }

    /// GET, retried as described above; any answer that is not retried comes back as a ``Reply``.
    public func get(_ path: String) async throws(ServiceCallError) -> Reply {
        try await call(.GET, path, body: nil, idempotent: true)
    }

    /// POST, attempted once (a retry could apply it twice) unless the caller says it is idempotent
    /// (an `Idempotency-Key` among `headers` makes it so).
    public func post(
        _ path: String, body: JSONValue, idempotent: Bool = false, headers: [(name: String, value: String)] = []
    ) async throws(ServiceCallError) -> Reply {
        try await call(.POST, path, body: body, idempotent: idempotent, headers: headers)
    }

    func call(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, idempotent: Bool, headers: [(name: String, value: String)] = []
    ) async throws(ServiceCallError) -> Reply {
        guard path.hasPrefix("/") else { throw .invalidPath(path) }
        let attempts = idempotent ? max(1, settings.maxAttempts) : 1
        var backoff = settings.initialBackoff
        var lastError = ServiceCallError.unreachable(settings.baseURL, "no attempt made")
        for attempt in 1...attempts {
            if Task.isCancelled { throw .cancelled }
            if let wait = breaker.admit() { throw .circuitOpen(settings.baseURL, retryAfter: wait) }
            let outcome = await attemptOnce(method, path, body: body, headers: headers)
            // A caller that gave up says nothing about the service's health.
            if Task.isCancelled {
                breaker.recordAbandoned()
                throw .cancelled
            }
            switch outcome {
            case .success(let reply) where settings.failureStatuses.contains(reply.status):
                breaker.recordFailure()
                lastError = .status(reply.status, reply.body)
            case .success(let reply):
                breaker.recordSuccess()
                return reply
            case .failure(let error):
                breaker.recordFailure()
                lastError = error
                if case .malformed = error { throw error }
                if case .tooLarge = error { throw error }
            }
            guard attempt < attempts else { break }
            // Full jitter: a crowd of callers does not retry in step.
            let millis = Int64(backoff.components.seconds * 1000 + backoff.components.attoseconds / 1_000_000_000_000_000)
            try? await Task.sleep(for: .milliseconds(Int64.random(in: 0...max(1, millis))))
            backoff = min(backoff * 2, settings.maxBackoff)
        }
        throw lastError
    }

    private func attemptOnce(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, headers: [(name: String, value: String)]
    ) async -> Result<Reply, ServiceCallError> {
        var request = HTTPClientRequest(url: settings.baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        for header in settings.headers + headers { request.headers.add(name: header.name, value: header.value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.jsonBytes))
        }
        let timeout = TimeAmount.nanoseconds(settings.timeout.components.seconds * 1_000_000_000 + settings.timeout.components.attoseconds / 1_000_000_000)
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .failure(.timeout(settings.baseURL + path, settings.timeout))
        } catch {
            return .failure(.unreachable(settings.baseURL, "\(error)"))
        }
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: settings.maxResponseBytes)
        } catch is NIOTooManyBytesError {
            return .failure(.tooLarge(settings.baseURL + path, settings.maxResponseBytes))
        } catch {
            return .failure(.unreachable(settings.baseURL, "\(error)"))
        }
        let bytes = Array(buffer.readableBytesView)
        if bytes.isEmpty { return .success(Reply(status: Int(response.status.code), body: .null)) }
        do {
            return .success(Reply(status: Int(response.status.code), body: try JSONValue.parse(bytes)))
        } catch {
            return .failure(.malformed(settings.baseURL + path, error.description))
        }
    }
}

/// Why a call to another service failed.
public enum ServiceCallError: Error, Sendable, CustomStringConvertible {
    case invalidPath(String)
    case circuitOpen(String, retryAfter: Duration)
    case timeout(String, Duration)
    case unreachable(String, String)
    case status(Int, JSONValue)
    case malformed(String, String)
    case tooLarge(String, Int)
    case cancelled

    public var description: String {
        switch self {
        case .cancelled: "the call was cancelled by its caller"
        case .invalidPath(let path): "'\(path)' is not a path starting with /"
        case .circuitOpen(let base, let wait): "\(base) is failing; calls are refused for another \(wait)"
        case .timeout(let url, let limit): "\(url) did not answer within \(limit)"
        case .unreachable(let base, let reason): "cannot reach \(base): \(reason)"
        case .status(let status, _): "the service answered \(status)"
        case .malformed(let url, let reason): "\(url) answered with invalid JSON: \(reason)"
        case .tooLarge(let url, let limit): "\(url) answered with more than \(limit) bytes"
        }
    }
}
