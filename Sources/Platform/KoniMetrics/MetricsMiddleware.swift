import Hummingbird
import Metrics

/// Counts requests and times them by method, route (the pattern, not the raw path, so that the
/// number of series stays bounded) and status.
public struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    public init(metrics: ServiceMetrics) {
        self.metrics = metrics
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status, since: start)
            return response
        } catch {
            // A thrown error is answered by a middleware outside this one (an
            // `HTTPResponseError` with its status, anything else as 500): count it the same way.
            record(request, context, status: (error as? any HTTPResponseError)?.status ?? .internalServerError, since: start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        let dimensions = [
            ("method", request.method.rawValue), ("route", context.endpointPath ?? "unmatched"), ("status", String(status.code)),
        ]
        Counter(label: "http_requests_total", dimensions: dimensions, factory: metrics.factory).increment()
        Metrics.Timer(label: "http_request_duration_seconds", dimensions: Array(dimensions.dropLast()), factory: metrics.factory)
            .record(duration: ContinuousClock.now - start)
    }
}

extension Response {
    /// The metrics' exposition text, as `GET /metrics` answers.
    public static func metrics(_ metrics: ServiceMetrics) -> Response {
        Response(
            status: .ok, headers: [.contentType: ServiceMetrics.contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
        )
    }
}
