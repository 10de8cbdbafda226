import AsyncHTTPClient
import Foundation
import JWTKit
import KoniServiceClient
import Logging

/// The Auth service's published keys as a verifier needs them: fetched from its JWKS URL,
/// cached, and fetched again when a token names a key id the cache does not have (the Auth
/// service rotated its key) or when the cache is older than ``Settings/maximumAge``.
///
/// A flood of tokens with made-up key ids must not become a flood of requests to the Auth
/// service: fetches are at least ``Settings/minimumRefreshInterval`` apart and concurrent
/// callers share one fetch. When the Auth service cannot be reached, the keys already known keep
/// working; a key id that is still unknown is refused.
public actor JWKSKeySet {
    public struct Settings: Sendable {
        public var maximumAge: Duration = .seconds(600)
        public var minimumRefreshInterval: Duration = .seconds(10)
        public var timeout: Duration = .seconds(2)
        public init() {}
    }

    /// Where the document comes from: a URL, or (tests, the Auth service itself) a function.
    public typealias Fetch = @Sendable () async throws -> [UInt8]

    private let fetch: Fetch
    private let settings: Settings
    private let logger: Logger
    private let clock = ContinuousClock()
    private var verifiers: [String: JWTKeyCollection] = [:]
    private var fetchedAt: ContinuousClock.Instant?
    private var inFlight: Task<Void, Never>?

    public init(settings: Settings = Settings(), logger: Logger, fetch: @escaping Fetch) {
        self.fetch = fetch
        self.settings = settings
        self.logger = logger
    }

    /// Fetches `url` through a ``ServiceClient``: each attempt bounded as a whole (a stalled body
    /// cannot hold every verifier waiting on the shared fetch), two attempts, answers over
    /// ``JWKSDocument/maximumBytes`` refused, redirects not followed.
    public init(url: String, settings: Settings = Settings(), logger: Logger, http: HTTPClient = ServiceClient.sharedHTTPClient) throws(ConfigurationError) {
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = parsed.percentEncodedHost, !host.isEmpty, parsed.user == nil, parsed.password == nil, parsed.fragment == nil
        else {
            throw ConfigurationError(setting: "jwks-url", reason: "'\(url)' is not an http(s) URL")
        }
        let authority = (host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host) + (parsed.port.map { ":\($0)" } ?? "")
        let path = (parsed.percentEncodedPath.isEmpty ? "/" : parsed.percentEncodedPath) + (parsed.percentEncodedQuery.map { "?\($0)" } ?? "")
        var clientSettings = ServiceClient.Settings(baseURL: "\(scheme)://\(authority)", headers: [])
        clientSettings.timeout = settings.timeout
        clientSettings.maxAttempts = 2
        clientSettings.maxResponseBytes = JWKSDocument.maximumBytes
        let client = ServiceClient(settings: clientSettings, http: http)
        self.init(settings: settings, logger: logger) {
            let reply = try await client.get(path)
            guard reply.status == 200 else { throw JWKSFetchError(reason: "answered \(reply.status)") }
            return reply.body.jsonBytes
        }
    }

    /// The verifier for key `kid`, fetching the key set when it is unknown or stale; nil when
    /// the Auth service does not publish that key.
    func verifier(kid: String) async -> JWTKeyCollection? {
        if let fetchedAt, clock.now - fetchedAt < settings.maximumAge, let known = verifiers[kid] { return known }
        await refresh()
        return verifiers[kid]
    }

    /// Fetches the key set unless that was done less than the minimum interval ago.
    public func refresh() async {
        if let inFlight {
            await inFlight.value
            return
        }
        if let fetchedAt, clock.now - fetchedAt < settings.minimumRefreshInterval { return }
        let task = Task { await self.load() }
        inFlight = task
        await task.value
        inFlight = nil
    }

    private func load() async {
        fetchedAt = clock.now
        do {
            let document = try JWKSDocument.parse(try await fetch())
            var fresh: [String: JWTKeyCollection] = [:]
            for key in document.keys {
                fresh[key.kid] = await JWTKeyCollection().add(rsa: key.publicKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
            }
            verifiers = fresh
            logger.debug("jwks loaded", metadata: ["keys": .string(document.keys.map(\.kid).joined(separator: ","))])
        } catch {
            logger.warning("jwks fetch failed; keeping the keys already known", metadata: ["error": .string(String(describing: error))])
        }
    }
}

/// The JWKS endpoint answered something other than a key set.
public struct JWKSFetchError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "JWKS fetch failed: \(reason)" }
}
