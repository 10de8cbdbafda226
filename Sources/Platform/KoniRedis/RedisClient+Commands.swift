extension RedisClient {
    package func ping() async throws(RedisError) {
        let reply = try await send(["PING"])
        guard reply == .simpleString("PONG") else { throw unexpected("PING", reply) }
    }

    package func get(_ key: String) async throws(RedisError) -> String? {
        let reply = try await send(["GET", key])
        if reply.isNull { return nil }
        guard case .bulkString = reply, let text = reply.text else { throw unexpected("GET", reply) }
        return text
    }

    /// SET with an optional expiry (PX) and NX; whether the value was set.
    @discardableResult
    package func set(_ key: String, to value: String, expiresIn: Duration? = nil, onlyIfAbsent: Bool = false) async throws(RedisError) -> Bool {
        var arguments = ["SET", key, value]
        if let expiresIn { arguments += ["PX", String(try Self.milliseconds(expiresIn))] }
        if onlyIfAbsent { arguments.append("NX") }
        let reply = try await send(arguments)
        if reply.isNull { return false }
        guard reply == .simpleString("OK") else { throw unexpected("SET", reply) }
        return true
    }

    /// GETDEL (Redis ≥ 6.2): the value, taken once; two callers never both get it.
    package func getDelete(_ key: String) async throws(RedisError) -> String? {
        let reply = try await send(["GETDEL", key])
        if reply.isNull { return nil }
        guard case .bulkString = reply, let text = reply.text else { throw unexpected("GETDEL", reply) }
        return text
    }

    /// How many of `keys` existed and were deleted.
    @discardableResult
    package func delete(_ keys: [String]) async throws(RedisError) -> Int {
        guard !keys.isEmpty else { return 0 }
        let reply = try await send(["DEL"] + keys)
        guard case .integer(let count) = reply else { throw unexpected("DEL", reply) }
        return Int(count)
    }

    package func exists(_ key: String) async throws(RedisError) -> Bool {
        let reply = try await send(["EXISTS", key])
        guard case .integer(let count) = reply else { throw unexpected("EXISTS", reply) }
        return count > 0
    }

    /// PTTL: nil when the key does not exist or has no expiry.
    package func timeToLive(_ key: String) async throws(RedisError) -> Duration? {
        let reply = try await send(["PTTL", key])
        guard case .integer(let milliseconds) = reply else { throw unexpected("PTTL", reply) }
        return milliseconds >= 0 ? .milliseconds(milliseconds) : nil
    }

    /// A fixed-window counter for rate limits, in one atomic script: increments `key`, starts the
    /// window's expiry on the first hit, and answers the count and the time until the window
    /// resets.
    package func incrementWindow(_ key: String, window: Duration) async throws(RedisError) -> (count: Int, resetsIn: Duration) {
        let script = """
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
            return {count, ttl}
            """
        let reply = try await send(["EVAL", script, "1", key, String(try Self.milliseconds(window))])
        guard case .array(let values?) = reply, values.count == 2, case .integer(let count) = values[0], case .integer(let ttl) = values[1] else {
            throw unexpected("EVAL", reply)
        }
        return (Int(count), .milliseconds(max(ttl, 0)))
    }

    /// A duration as whole milliseconds, 1 ms … 100 days (Redis refuses 0 and a huge value is a bug).
    static func milliseconds(_ duration: Duration) throws(RedisError) -> Int64 {
        let value = duration / .milliseconds(1)
        guard value.isFinite, value >= 1, value <= 8_640_000_000 else {
            throw RedisError(.configuration, "an expiry of \(duration) is not between 1 ms and 100 days")
        }
        return Int64(value)
    }

    private func unexpected(_ command: String, _ reply: RESPValue) -> RedisError {
        RedisError(.unexpectedReply, command: command, "unexpected reply \(String(describing: reply).prefix(80))")
    }
}
