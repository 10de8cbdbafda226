import Hummingbird
import Logging
import NIOCore

/// The request context every KONI service uses: Hummingbird's core storage plus the trace id of
/// the request and, on admin routes, the verified caller.
public struct KoniRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (the proxy when there is one; see `ClientAddress`).
    public let remoteAddress: SocketAddress?
    /// W3C trace id (32 hex digits) from `traceparent`, else the client's `X-Request-ID`, else new.
    public var traceID: String = ""
    /// The verified token's claims; set by ``AuthMiddleware``.
    public var identity: Identity?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Request bodies are read by ``Request/jsonBody(limit:)`` with each service's own limit.
    public var maxUploadSize: Int { 1 << 20 }
}
