/// Waits until `condition` holds, at most `limit`, checking every `every`; returns whether it
/// held. For states reached in the background (an outbox relay, a consumer, a reconnect) on a
/// machine that may be loaded: the limit is a bound on failure, not a timing assertion.
@discardableResult
package func eventually(
    _ limit: Duration = .seconds(30), every: Duration = .milliseconds(20), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: every)
    }
    return try await condition()
}

/// As ``eventually(_:every:_:)``, for a step a test cannot go on without: throws naming `what`
/// when the condition never held.
package func eventually(_ what: String, limit: Duration = .seconds(15), _ condition: () async throws -> Bool) async throws {
    guard try await eventually(limit, condition) else { throw NotReached(description: "\(what): not reached within \(limit)") }
}

/// A state a test waited for did not come.
package struct NotReached: Error, CustomStringConvertible {
    package var description: String
}
