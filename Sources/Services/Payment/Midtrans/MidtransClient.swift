import Foundation
import KoniJSON
import KoniServiceKit

/// Midtrans's Snap and Core APIs as the Payment service uses them: create a Snap transaction, read
/// a transaction's status, refund. Every call has a timeout; reads and refunds (idempotent by
/// `refund_key`) are retried with backoff; one ``CircuitBreaker`` covers both hosts, so that an
/// outage costs callers a fast ``MidtransError/unavailable(_:)`` instead of a timeout each.
package struct MidtransClient: Sendable {
    package struct Settings: Sendable {
        /// Core API: `https://api.midtrans.com` (production), `https://api.sandbox.midtrans.com`.
        package var apiBaseURL: String
        /// Snap: `https://app.midtrans.com`, `https://app.sandbox.midtrans.com`.
        package var snapBaseURL: String
        package var serverKey: String
        /// Per attempt; the seed's incident was a 30 s Midtrans timeout holding requests.
        package var timeout: Duration = .seconds(5)
        package var maxAttempts = 3
        package var breakerThreshold = 5
        package var breakerCooldown: Duration = .seconds(30)

        package init(apiBaseURL: String, snapBaseURL: String, serverKey: String) {
            self.apiBaseURL = apiBaseURL
            self.snapBaseURL = snapBaseURL
            self.serverKey = serverKey
        }
    }

    package let settings: Settings
    package let breaker: CircuitBreaker
    let core: ServiceClient
    let snap: ServiceClient

    package init(settings: Settings) {
        self.settings = settings
        let breaker = CircuitBreaker(threshold: settings.breakerThreshold, cooldown: settings.breakerCooldown)
        self.breaker = breaker
        // Basic authentication: the server key as the user name, no password.
        let authorization = "Basic " + Data((settings.serverKey + ":").utf8).base64EncodedString()
        func client(_ base: String) -> ServiceClient {
            var client = ServiceClient.Settings(baseURL: base, headers: [("Authorization", authorization)])
            client.timeout = settings.timeout
            client.maxAttempts = settings.maxAttempts
            client.maxResponseBytes = 256 * 1024
            client.failureStatuses = Set(500...599)
            return ServiceClient(settings: client, breaker: breaker, http: ServiceClient.externalHTTPClient)
        }
        core = client(settings.apiBaseURL)
        snap = client(settings.snapBaseURL)
    }

    /// Creates a Snap transaction. Attempted once: a retry of a request that reached Midtrans
    /// would be refused as a duplicate order id, so the caller retries with a new order id.
    package func createSnapTransaction(_ request: SnapRequest) async throws(MidtransError) -> SnapToken {
        let reply: ServiceClient.Reply
        do { reply = try await snap.post("/snap/v1/transactions", body: request.json) } catch { throw MidtransError.from(error) }
        guard (200..<300).contains(reply.status) else { throw Self.refusal(reply) }
        guard case .string(let token)? = reply.body["token"], case .string(let url)? = reply.body["redirect_url"], !token.isEmpty,
            token.utf8.count <= 200, url.utf8.count <= 1000
        else { throw MidtransError.malformed("Snap answered without token and redirect_url") }
        return SnapToken(token: token, redirectURL: url)
    }

    /// The transaction of `orderID` as Midtrans knows it; nil when Midtrans has none (a Snap
    /// transaction nobody has started paying).
    package func status(orderID: String) async throws(MidtransError) -> TransactionStatus? {
        guard SnapRequest.isValidOrderID(orderID) else { throw MidtransError.refused(status: 400, messages: ["invalid order id"]) }
        let reply: ServiceClient.Reply
        do { reply = try await core.get("/v2/\(orderID)/status") } catch { throw MidtransError.from(error) }
        // Midtrans answers some errors with HTTP 200 and the real code in the body.
        let code = Self.bodyStatusCode(reply)
        if reply.status == 404 || code == 404 { return nil }
        guard (200..<300).contains(reply.status), (200..<300).contains(code ?? 200) || code == 201 || code == 407 else {
            throw Self.refusal(reply)
        }
        do { return try TransactionStatus.parse(reply.body) } catch { throw MidtransError.malformed("status of \(orderID): \(error)") }
    }

    /// Refunds `amount` of the transaction `orderID`. Retried: Midtrans applies one `refundKey` once.
    package func refund(orderID: String, refundKey: String, amount: Int64, reason: String) async throws(MidtransError) {
        guard SnapRequest.isValidOrderID(orderID) else { throw MidtransError.refused(status: 400, messages: ["invalid order id"]) }
        let body = JSONValue.object([("refund_key", .string(refundKey)), ("amount", .number(Double(amount))), ("reason", .string(String(reason.prefix(200))))])
        let reply: ServiceClient.Reply
        do { reply = try await core.post("/v2/\(orderID)/refund", body: body, idempotent: true) } catch { throw MidtransError.from(error) }
        let code = Self.bodyStatusCode(reply) ?? reply.status
        if (500...599).contains(code) { throw MidtransError.unavailable("refund answered \(code)") }
        guard (200..<300).contains(reply.status), (200..<300).contains(code) else { throw Self.refusal(reply) }
    }

    /// `status_code` of a Core API body (`"200"`, `"404"`, `"412"` …).
    static func bodyStatusCode(_ reply: ServiceClient.Reply) -> Int? {
        guard case .string(let text)? = reply.body["status_code"] else { return nil }
        return Int(text)
    }

    /// The refusal a 4xx answer means, with Midtrans's own messages.
    static func refusal(_ reply: ServiceClient.Reply) -> MidtransError {
        var messages: [String] = []
        if case .array(let list)? = reply.body["error_messages"] {
            messages = list.prefix(10).compactMap { if case .string(let text) = $0 { String(text.prefix(300)) } else { nil } }
        }
        if case .string(let text)? = reply.body["status_message"] { messages.append(String(text.prefix(300))) }
        let status = bodyStatusCode(reply) ?? reply.status
        if (500...599).contains(status) { return .unavailable("answered \(status)") }
        return .refused(status: status, messages: messages)
    }
}
