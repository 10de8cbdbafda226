import Foundation
import KoniRedis
import KoniTestSupport
import Logging
import NIOCore
import Testing

@testable import KoniRedis

/// The RESP decoder against hostile bytes (no server needed).
@Suite struct RESPDecoderTests {
    static func decode(_ text: String) throws(RedisError) -> RESPValue? {
        var buffer = ByteBuffer(string: text)
        return try RESPDecoder.parse(&buffer, depth: 0, maximumBulkBytes: 1 << 20)
    }

    @Test func wellFormedRepliesDecode() throws {
        #expect(try Self.decode("+OK\r\n") == .simpleString("OK"))
        #expect(try Self.decode("-ERR wrong\r\n") == .error("ERR wrong"))
        #expect(try Self.decode(":-42\r\n") == .integer(-42))
        #expect(try Self.decode(":9223372036854775807\r\n") == .integer(Int64.max))
        #expect(try Self.decode("$5\r\nhe\r\nl\r\n") == .bulkString(Array("he\r\nl".utf8)))
        #expect(try Self.decode("$-1\r\n") == .bulkString(nil))
        #expect(try Self.decode("*2\r\n:1\r\n*1\r\n+x\r\n") == .array([.integer(1), .array([.simpleString("x")])]))
        #expect(try Self.decode("*-1\r\n") == .array(nil))
    }

    @Test func aReplySplitAcrossManyBuffersWaitsForTheRest() throws {
        let whole = "*3\r\n$3\r\nabc\r\n:7\r\n+done\r\n"
        let bytes = Array(whole.utf8)
        for cut in 0..<bytes.count {
            // Cut by bytes: "\r\n" is one Character, so String.prefix would never cut between them.
            #expect(try Self.decode(String(decoding: bytes[..<cut], as: UTF8.self)) == nil, "cut at \(cut)")
        }
        #expect(try Self.decode(whole) == .array([.bulkString(Array("abc".utf8)), .integer(7), .simpleString("done")]))
    }

    @Test func hostileBytesAreRefusedBeforeAllocating() {
        let hostile = [
            "$99999999999999999999\r\n", "$2000000\r\n", "$-2\r\n", "*1000000000\r\n", "*-5\r\n", ":12a\r\n", ":99999999999999999999\r\n",
            "?what\r\n", "+no line feed\rX", String(repeating: "*1\r\n", count: 100) + ":1\r\n", "$3\r\nabcXY",
        ]
        for text in hostile {
            #expect(throws: RedisError.self, "\(text.prefix(30).debugDescription)") { try Self.decode(text) }
        }
        #expect(throws: RedisError.self) { try Self.decode("+" + String(repeating: "a", count: 70_000)) }
    }
}

/// The client against the real redis-server that scripts/services starts.
@Suite struct RedisClientTests {
    static func client(poolSize: Int = 2, commandTimeout: Duration? = nil) throws -> RedisClient {
        var configuration = try RedisConfiguration(url: TestEnvironment.redisURL)
        configuration.poolSize = poolSize
        if let commandTimeout { configuration.commandTimeout = commandTimeout }
        return RedisClient(configuration: configuration, logger: Logger(label: "redis-test"))
    }

    static func key(_ name: String) -> String { "test:\(UUID().uuidString.prefix(8)):\(name)" }

    @Test func setGetExpiryAndNX() async throws {
        let redis = try Self.client()
        let key = Self.key("a")
        try await redis.ping()
        #expect(try await redis.get(key) == nil)
        // An hour: on a loaded machine (CI once took 107 s for this test) a short expiry would end
        // before the delete below and make it count nothing.
        #expect(try await redis.set(key, to: "satu", expiresIn: .seconds(3600)))
        #expect(try await redis.set(key, to: "dua", onlyIfAbsent: true) == false)
        #expect(try await redis.get(key) == "satu")
        // Only bounds that hold however slow the machine is between the two commands.
        let ttl = try #require(try await redis.timeToLive(key))
        #expect(ttl > .zero && ttl <= .seconds(3600))
        #expect(try await redis.exists(key))
        #expect(try await redis.delete([key, Self.key("missing")]) == 1)
        #expect(try await redis.timeToLive(key) == nil)
        await redis.shutdown()
    }

    @Test func getDeleteHandsAValueToExactlyOneOfManyCallers() async throws {
        let redis = try Self.client(poolSize: 4)
        let key = Self.key("code")
        try await redis.set(key, to: "once", expiresIn: .seconds(30))
        let winners = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<20 { group.addTask { try await redis.getDelete(key) } }
            var found: [String] = []
            for try await value in group { if let value { found.append(value) } }
            return found
        }
        #expect(winners == ["once"])
        await redis.shutdown()
    }

    @Test func aWindowCountsAndResets() async throws {
        let redis = try Self.client()
        // Counting: a long window, so a loaded machine cannot let it lapse between the calls.
        let key = Self.key("window")
        for expected in 1...3 {
            let (count, resetsIn) = try await redis.incrementWindow(key, window: .seconds(120))
            #expect(count == expected)
            #expect(resetsIn > .zero && resetsIn <= .seconds(120))
        }
        // Resetting: after the window has certainly passed, the count starts again.
        let short = Self.key("short")
        _ = try await redis.incrementWindow(short, window: .milliseconds(200))
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await redis.incrementWindow(short, window: .milliseconds(200)).count == 1)
        await redis.shutdown()
    }

    @Test func manyConcurrentCommandsThroughASmallPoolAllGetTheirOwnReply() async throws {
        // What is tested is that each of 1000 pipelined commands gets its own reply; the last of 500
        // on a connection waits behind the others, which on a loaded CI machine took over the
        // 2 s default timeout once (and a timeout closes the connection, failing the rest). The
        // timeout has tests of its own.
        let redis = try Self.client(poolSize: 2, commandTimeout: .seconds(30))
        let prefix = Self.key("many")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<1000 {
                group.addTask {
                    try await redis.set("\(prefix):\(index)", to: "v\(index)", expiresIn: .seconds(30))
                    let value = try await redis.get("\(prefix):\(index)")
                    #expect(value == "v\(index)")
                }
            }
            try await group.waitForAll()
        }
        await redis.shutdown()
    }

    @Test func aServerErrorIsReportedAndTheConnectionStaysUsable() async throws {
        let redis = try Self.client(poolSize: 1)
        let key = Self.key("text")
        try await redis.set(key, to: "bukan angka", expiresIn: .seconds(30))
        do {
            _ = try await redis.send(["INCR", key])
            Issue.record("INCR on text succeeded")
        } catch {
            #expect(error.kind == .server)
            #expect(error.message.contains("not an integer"))
            #expect(!error.description.contains("bukan angka"), "arguments are never in errors")
        }
        #expect(try await redis.get(key) == "bukan angka")
        await redis.shutdown()
    }

    @Test func aClosedPortFailsFastAndShutdownRefusesLaterCommands() async throws {
        var configuration = RedisConfiguration(host: "127.0.0.1", port: 1)
        configuration.connectTimeout = .milliseconds(500)
        let unreachable = RedisClient(configuration: configuration, logger: Logger(label: "redis-test"))
        do { try await unreachable.ping(); Issue.record("a closed port answered") } catch { #expect(error.kind == .connection) }
        let redis = try Self.client()
        try await redis.ping()
        await redis.shutdown()
        do { try await redis.ping(); Issue.record("a shut-down client answered") } catch { #expect(error.kind == .closed) }
    }

    @Test func aCommandWithoutAReplyTimesOutAndTheNextOneGetsAFreshConnection() async throws {
        var configuration = try RedisConfiguration(url: TestEnvironment.redisURL)
        configuration.poolSize = 1
        configuration.commandTimeout = .milliseconds(300)
        let redis = RedisClient(configuration: configuration, logger: Logger(label: "redis-test"))
        do {
            // BLPOP on an empty list blocks for 5 s: longer than the command timeout.
            _ = try await redis.send(["BLPOP", Self.key("empty"), "5"])
            Issue.record("a blocked command answered")
        } catch {
            #expect(error.kind == .timeout)
        }
        try await redis.ping()
        await redis.shutdown()
    }

    @Test func aConnectionTheServerKillsIsReplacedOnTheNextCommand() async throws {
        let redis = try Self.client(poolSize: 1)
        try await redis.ping()
        let id = try #require(try await redis.send(["CLIENT", "ID"]).text)
        let admin = try Self.client(poolSize: 1)
        _ = try await admin.send(["CLIENT", "KILL", "ID", id])
        // The first command may meet the dead connection; the one after must work.
        _ = try? await redis.ping()
        try await redis.ping()
        let newID = try #require(try await redis.send(["CLIENT", "ID"]).text)
        #expect(newID != id)
        await admin.shutdown()
        await redis.shutdown()
    }

    @Test func urlsAreCheckedWithoutEchoingThePassword() {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "http://127.0.0.1") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://127.0.0.1:6379/abc") }
        do { _ = try RedisConfiguration(url: "redis://:rahasia@127.0.0.1:99999") } catch { #expect(!error.description.contains("rahasia")) }
        #expect(
            (try? RedisConfiguration(url: "redis://:p%40ss@cache:6380/2")).map { [$0.host, String($0.port), $0.password ?? "", String($0.database)] } == [
                "cache", "6380", "p@ss", "2",
            ])
    }
}
