import ComproRevalidate
import Foundation
import Hummingbird
import KoniJSON
import Logging
import KoniMetrics
import Synchronization

/// The daemon's HTTP side: the signed revalidation webhook, `/healthz` and `/metrics`.
package struct DaemonHTTP: Sendable {
    package var revalidator: Revalidator
    /// nil disables the webhook: it then answers 503, never accepting unsigned requests.
    package var verifier: WebhookVerifier?
    /// What `/metrics` serves: the webhook's requests here, and what the revalidator records if it
    /// was made with this registry's factory (as `koni-compro serve` does).
    package var metrics: ServiceMetrics
    package var maxBodyBytes: Int
    /// Signed requests being revalidated at once (with or without `?wait=true`); one more is
    /// answered 429 with `Retry-After`, so that a flood of valid requests cannot queue work
    /// without end.
    package var maxPendingRequests: Int
    package var logger: Logger
    /// The outcome of each consumed event by trace id, for `GET /api/published/{trace}`.
    package var traces: PublishedTraces
    private let pending = PendingCount()

    package init(
        revalidator: Revalidator, verifier: WebhookVerifier?, metrics: ServiceMetrics, maxBodyBytes: Int = 256 * 1024,
        maxPendingRequests: Int = 64, traces: PublishedTraces = PublishedTraces(), logger: Logger
    ) {
        self.traces = traces
        self.revalidator = revalidator
        self.verifier = verifier
        self.metrics = metrics
        self.maxBodyBytes = maxBodyBytes
        self.maxPendingRequests = max(1, maxPendingRequests)
        self.logger = logger
    }

    package func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.get("/healthz") { _, _ in
            Self.json(.ok, .object([("status", .string("ok")), ("tenants", .number(Double(revalidator.tenants().count)))]))
        }
        router.get("/metrics") { _, _ in Response.metrics(metrics) }
        router.post("/api/revalidate") { request, context in
            try await revalidate(request, context)
        }
        router.get("/api/published/{trace}") { request, context in
            await published(request, context)
        }
        return router
    }

    private func revalidate(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let verifier else {
            return Self.error(.serviceUnavailable, "the webhook is disabled: start the daemon with --webhook-secret or KONI_WEBHOOK_SECRET")
        }
        let now = Int64(Date().timeIntervalSince1970)
        let header: WebhookVerifier.Header
        let signature = request.headers.first { $0.name.canonicalName == WebhookVerifier.headerName.lowercased() }?.value
        do throws(WebhookVerifier.Failure) {
            header = try verifier.checkHeader(signature, now: now)
        } catch {
            return refuse(error)
        }
        var request = request
        let body: [UInt8]
        do {
            body = Array(buffer: try await request.collectBody(upTo: maxBodyBytes))
        } catch {
            return Self.error(.contentTooLarge, "body larger than \(maxBodyBytes) bytes")
        }
        let authenticated: [UInt8]
        do throws(WebhookVerifier.Failure) {
            authenticated = try verifier.authenticate(header, body: body)
        } catch {
            return refuse(error)
        }
        let parsed: RevalidationRequest
        do throws(RevalidationRequest.Invalid) {
            parsed = try RevalidationRequest.parse(body)
        } catch {
            return Self.json(.unprocessableContent, .object([("error", .string(error.reason)), ("field", .string(error.field))]))
        }
        // The bound before the signature is recorded as used, so that the same signed request
        // may be sent again after `Retry-After`.
        guard pending.enter(limit: maxPendingRequests) else {
            revalidator.metrics.webhookRefused("busy")
            logger.warning("webhook refused: too many revalidations pending", metadata: ["limit": "\(maxPendingRequests)"])
            var response = Self.error(.tooManyRequests, "too many revalidations pending; retry later")
            response.headers[.retryAfter] = "1"
            return response
        }
        do throws(WebhookVerifier.Failure) {
            try verifier.recordUse(authenticated, header: header, now: now)
        } catch {
            pending.leave()
            return refuse(error)
        }
        revalidator.metrics.eventReceived(.webhook)
        let wait = request.uri.queryParameters.get("wait") == "true"
        let revalidator = self.revalidator
        let logger = self.logger
        let pending = self.pending
        let work: @Sendable () async throws(RevalidationError) -> Regeneration = {
            defer { pending.leave() }
            return try await revalidator.revalidate(tenant: parsed.tenant, changes: parsed.changes, paths: parsed.paths)
        }
        guard wait else {
            Task {
                do { _ = try await work() } catch {
                    logger.error("revalidation failed", metadata: ["tenant": "\(parsed.tenant)", "source": "webhook", "error": "\(error)"])
                }
            }
            return Self.json(.accepted, .object([("accepted", .bool(true)), ("tenant", .string(parsed.tenant))]))
        }
        do throws(RevalidationError) {
            let result = try await work()
            return Self.json(
                .ok,
                .object([
                    ("release", .string(result.release)), ("removed", .array(result.removed.map { .string(Self.sitePath($0)) })),
                    ("rendered", .number(Double(result.rendered))), ("tenant", .string(result.tenant)),
                    ("written", .array(result.written.map { .string(Self.sitePath($0)) })),
                ]))
        } catch {
            logger.error("revalidation failed", metadata: ["tenant": "\(parsed.tenant)", "source": "webhook", "error": "\(error)"])
            if case .unknownTenant = error { return Self.error(.notFound, error.description) }
            return Self.json(.unprocessableContent, .object([("error", .string(error.description)), ("published", .bool(false))]))
        }
    }

    /// Whether the event that a request with this trace id caused is live: 200 with the release
    /// (or `published: false` when it was given up), 404 when no outcome came within `wait_ms`
    /// (0…10000). Trace ids are random and carry nothing else, so this answers without a secret.
    private func published(_ request: Request, _ context: BasicRequestContext) async -> Response {
        guard let trace = context.parameters.get("trace"), !trace.isEmpty, trace.utf8.count <= 128,
            trace.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else {
            return Self.error(.badRequest, "the trace id must be 1 to 128 visible ASCII characters")
        }
        var wait = 0
        if let text = request.uri.queryParameters.get("wait_ms") {
            guard let value = Int(text), (0...10_000).contains(value) else {
                return Self.error(.badRequest, "wait_ms must be a whole number from 0 to 10000")
            }
            wait = value
        }
        guard let outcome = await traces.outcome(trace, wait: .milliseconds(wait)) else {
            return Self.error(.notFound, "no event of this trace has been published yet")
        }
        return Self.json(
            .ok,
            .object([
                ("published", .bool(outcome.published)), ("recorded_at_ms", .number(Double(outcome.recordedAtMilliseconds))),
                ("release", .string(outcome.release)), ("trace_id", .string(trace)),
            ]))
    }

    private func refuse(_ failure: WebhookVerifier.Failure) -> Response {
        revalidator.metrics.webhookRefused(failure.reason)
        logger.warning("webhook refused", metadata: ["reason": "\(failure)"])
        return Self.error(.unauthorized, failure.description)
    }

    /// `berita/x/index.html` → `/berita/x/`; other files keep their name.
    static func sitePath(_ file: String) -> String {
        if file == "index.html" { return "/" }
        if file.hasSuffix("/index.html") { return "/" + file.dropLast("index.html".count) }
        return "/" + file
    }

    /// A JSON answer (KoniJSON: keys as written, here in sorted order).
    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: value.jsonBytes)))
    }

    /// `{"error": message}`.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(status, .object([("error", .string(message))]))
    }
}

/// Revalidations accepted through the webhook and not finished yet.
final class PendingCount: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts one more unless `limit` are already pending.
    func enter(limit: Int) -> Bool {
        var current = count.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = count.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func leave() { count.subtract(1, ordering: .acquiringAndReleasing) }
}
