import Foundation
import KoniRedis
import KoniServiceKit

/// Login attempts counted in Redis, per account and per client address, in fixed windows.
///
/// An account with ``accountFailures`` failed attempts in ``accountWindow`` is locked until the
/// window ends, whatever the password (so guessing cannot continue slowly from many addresses);
/// an address may try ``addressAttempts`` logins per ``addressWindow`` whatever the account (so
/// one client cannot spray passwords over many accounts). An unknown account counts exactly
/// like a known one: the answers must not tell them apart.
struct LoginThrottle: Sendable {
    let redis: RedisClient
    /// Starts every key (see ``SSOStore/prefix``).
    var prefix = "auth:"
    var accountFailures = 5
    var accountWindow: Duration = .seconds(15 * 60)
    var addressAttempts = 30
    var addressWindow: Duration = .seconds(60)

    /// Refused: try again after `retryAfter`.
    struct Refusal: Error, Sendable, Equatable {
        var retryAfter: Duration
    }

    private func accountKey(_ emailKey: String) -> String {
        "\(prefix)fail:account:" + SecretToken.digest(emailKey)
    }

    /// Counts one attempt from `address` and checks that neither limit is reached.
    func admit(emailKey: String, address: String) async throws(RedisError) -> Refusal? {
        let attempts = try await redis.incrementWindow("\(prefix)rate:address:\(address.prefix(64))", window: addressWindow)
        if attempts.count > addressAttempts { return Refusal(retryAfter: attempts.resetsIn) }
        if let failures = try await redis.get(accountKey(emailKey)).flatMap(Int.init), failures >= accountFailures {
            let left = try await redis.timeToLive(accountKey(emailKey)) ?? accountWindow
            return Refusal(retryAfter: left)
        }
        return nil
    }

    func recordFailure(emailKey: String) async throws(RedisError) {
        _ = try await redis.incrementWindow(accountKey(emailKey), window: accountWindow)
    }

    func recordSuccess(emailKey: String) async throws(RedisError) {
        _ = try await redis.delete([accountKey(emailKey)])
    }
}
