import AsyncHTTPClient
import Foundation
import KoniJSON
import NIOCore
import NIOHTTP1

/// Calls another KONI service's `/internal/…` API (`GET /internal/tenants/{id}` …), a public or
/// admin API of one (the CMS for the generator and the admin), or an outside JSON API such as
/// Midtrans, the way every caller should: the service key in ``ServiceKey/headerName`` (or the
/// caller's or outside API's own credentials), a timeout per attempt, retries with exponential
/// backoff and jitter for idempotent calls that failed to connect or got 502, 503 or 504, a
/// bounded answer size, and a ``CircuitBreaker`` so that a dependency that is down costs callers a
/// fast error, not a timeout each.
///
/// Make one client per dependency and keep it: the breaker remembers that dependency's health.
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

    /// What came back: the status, the JSON body (`null` when empty, and on an error status when
    /// the body is not JSON, such as a proxy's HTML page) and the `ETag`.
    public struct Reply: Sendable {
        public var status: Int
        public var body: JSONValue
        /// Every header of the answer, in order.
        public var headers: [(name: String, value: String)]

        public init(status: Int, body: JSONValue, headers: [(name: String, value: String)] = []) {
            self.status = status
            self.body = body
            self.headers = headers
        }

        /// The first value of header `name` (any case); nil when the answer has none.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        /// The answer's `ETag`.
        public var etag: String? { header("ETag") }
    }

    public let settings: Settings
    public let breaker: CircuitBreaker
    let http: HTTPClient

    public init(settings: Settings, breaker: CircuitBreaker = CircuitBreaker(), http: HTTPClient = ServiceClient.sharedHTTPClient) {
        self.settings = settings
        self.breaker = breaker
        self.http = http
    }

    /// GET, retried as described above; any answer that is not retried comes back as a ``Reply``.
    public func get(_ path: String, headers: [(name: String, value: String)] = []) async throws(ServiceCallError) -> Reply {
        try await send(.GET, path, headers: headers)
    }

    /// POST, attempted once (a retry could apply it twice) unless the caller says it is idempotent
    /// (an `Idempotency-Key` among `headers` makes it so).
    public func post(
        _ path: String, body: JSONValue, idempotent: Bool = false, headers: [(name: String, value: String)] = []
    ) async throws(ServiceCallError) -> Reply {
        try await send(.POST, path, body: body, headers: headers, idempotent: idempotent)
    }

    /// Any method. GET and HEAD are retried; others only when `idempotent` says so (a PUT with
    /// `If-Match` that was applied before its answer was lost would answer the retry 412, which
    /// reads as someone else's change). `timeout` replaces the settings' for this call (a long
    /// poll); `headers` are sent besides the settings' (a user's bearer token, `If-Match`).
    public func send(
        _ method: HTTPMethod, _ path: String, body: JSONValue? = nil, headers: [(name: String, value: String)] = [], idempotent: Bool? = nil,
        timeout: Duration? = nil
    ) async throws(ServiceCallError) -> Reply {
        let retried = idempotent ?? (method == .GET || method == .HEAD)
        return try await call(method, path, body: body, idempotent: retried, headers: headers, timeout: timeout ?? settings.timeout)
    }

    func call(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, idempotent: Bool, headers: [(name: String, value: String)], timeout: Duration
    ) async throws(ServiceCallError) -> Reply {
        guard path.hasPrefix("/") else { throw .invalidPath(path) }
        let attempts = idempotent ? max(1, settings.maxAttempts) : 1
        var backoff = settings.initialBackoff
        var lastError = ServiceCallError.unreachable(settings.baseURL, "no attempt made")
        for attempt in 1...attempts {
            if Task.isCancelled { throw .cancelled }
            if let wait = breaker.admit() { throw .circuitOpen(settings.baseURL, retryAfter: wait) }
            let outcome = await attemptOnce(method, path, body: body, headers: headers, timeout: timeout)
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
            backoff = await pause(backoff)
        }
        throw lastError
    }

    /// Sleeps a random part of `backoff` (full jitter: a crowd of callers does not retry in step)
    /// and returns the next one.
    func pause(_ backoff: Duration) async -> Duration {
        let millis = Int64(backoff.components.seconds * 1000 + backoff.components.attoseconds / 1_000_000_000_000_000)
        try? await Task.sleep(for: .milliseconds(Int64.random(in: 0...max(1, millis))))
        return min(backoff * 2, settings.maxBackoff)
    }

    /// The request to `path` with the settings' headers and `headers`.
    func request(_ method: HTTPMethod, _ path: String, accept: String, headers: [(name: String, value: String)]) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: settings.baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: accept)
        for header in settings.headers + headers { request.headers.add(name: header.name, value: header.value) }
        return request
    }

    /// One attempt, bounded as a whole by `limit`: AsyncHTTPClient's deadline ends when the
    /// answer's head arrives, and a server that then stalls its body must not hold the caller.
    private func attemptOnce(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, headers: [(name: String, value: String)], timeout limit: Duration
    ) async -> Result<Reply, ServiceCallError> {
        var request = request(method, path, accept: "application/json", headers: headers)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.jsonBytes))
        }
        let prepared = request
        let exchange = await withTaskGroup(of: Result<Reply, ServiceCallError>?.self) { group in
            group.addTask { await self.exchange(prepared, path: path, limit: limit) }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        // Nil: the limit came first (a caller that gave up is told apart by `call`).
        return exchange ?? .failure(.timeout(settings.baseURL + path, limit))
    }

    private func exchange(_ request: HTTPClientRequest, path: String, limit: Duration) async -> Result<Reply, ServiceCallError> {
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: Self.timeAmount(limit))
        } catch {
            return .failure(transportFailure(error, path: path, limit: limit))
        }
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: settings.maxResponseBytes)
        } catch is NIOTooManyBytesError {
            return .failure(.tooLarge(settings.baseURL + path, settings.maxResponseBytes))
        } catch {
            return .failure(.unreachable(settings.baseURL, "\(error)"))
        }
        let status = Int(response.status.code)
        let headers = response.headers.map { (name: $0.name, value: $0.value) }
        let bytes = Array(buffer.readableBytesView)
        if bytes.isEmpty { return .success(Reply(status: status, body: .null, headers: headers)) }
        do {
            return .success(Reply(status: status, body: try JSONValue.parse(bytes), headers: headers))
        } catch {
            // An error status already says what happened; its body may be a proxy's HTML page.
            guard (200..<300).contains(status) else { return .success(Reply(status: status, body: .null, headers: headers)) }
            return .failure(.malformed(settings.baseURL + path, error.description))
        }
    }

    /// A request that got no answer: a timeout when the limit (or a read or connect limit) ended
    /// it, else the service could not be reached.
    func transportFailure(_ error: any Error, path: String, limit: Duration) -> ServiceCallError {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .timeout(settings.baseURL + path, limit)
        }
        return .unreachable(settings.baseURL, "\(error)")
    }

    /// The HTTP client of every ``ServiceClient`` of a KONI service not given another.
    ///
    /// A refused connection fails the attempt at once, and connecting may take 2 s: with
    /// AsyncHTTPClient's default the pool keeps trying to connect, and a service that was down
    /// cost up to a whole timeout per attempt (30 s for the CMS; 80 s for three attempts in a
    /// loaded CI run even with a 2 s connect limit). ``ServiceClient`` retries with its own
    /// backoff instead. The price: requests queued for a connection to that service at that
    /// moment fail with it (a pool holds 8 connections per service before requests queue). A
    /// stream may be idle 60 s between two reads. Redirects are not followed (a service's answer
    /// is never one, and following it would send the service key elsewhere).
    public static let sharedHTTPClient = makeHTTPClient(connect: .seconds(2))

    /// The same for APIs outside KONI (Midtrans): connecting, TLS included, over the internet may
    /// take 10 s.
    public static let externalHTTPClient = makeHTTPClient(connect: .seconds(10))

    /// `read` is how long a streamed answer (``lines(_:headers:maximumLineBytes:timeout:_:)``)
    /// may go without a byte before it ends as a timeout.
    static func makeHTTPClient(connect: TimeAmount, read: TimeAmount = .seconds(60)) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: connect, read: read), decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        // A limit beyond a day is a mistake; clamping keeps the nanosecond arithmetic in range.
        guard seconds < 86_400 else { return .hours(24) }
        return .nanoseconds(max(0, seconds) * 1_000_000_000 + attoseconds / 1_000_000_000)
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
