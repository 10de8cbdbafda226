import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A Redis client over SwiftNIO speaking RESP2, with a small pool of pipelined connections.
///
/// Written here because no Swift Redis client is in this machine's package mirror, and Debian's
/// libhiredis would bring a C event loop beside NIO's; RESP2 is small (five reply types) and the
/// services need a handful of commands. Connections open when first used; one that breaks is
/// replaced on the next use (no background reconnect loop). A command that gets no reply within
/// ``RedisConfiguration/commandTimeout`` fails and its connection is closed, because a late reply
/// would otherwise answer the next command.
package final class RedisClient: Service, Sendable {
    package let configuration: RedisConfiguration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let slots: [NIOLockedValueBox<EventLoopFuture<any Channel>?>]
    private let next = NIOLockedValueBox(0)
    private let isClosed = NIOLockedValueBox(false)

    package init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.configuration = configuration
        self.group = eventLoopGroup
        self.logger = logger
        self.slots = (0..<max(1, min(configuration.poolSize, 64))).map { _ in NIOLockedValueBox(nil) }
    }

    /// Waits for the service group's graceful shutdown, then closes every connection.
    package func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Closes every connection; later commands fail with `.closed`.
    package func shutdown() async {
        isClosed.withLockedValue { $0 = true }
        for slot in slots {
            if let future = slot.withLockedValue({ value -> EventLoopFuture<any Channel>? in
                defer { value = nil }; return value
            }) {
                if let channel = try? await future.get() { try? await channel.close() }
            }
        }
    }

    /// Sends any command; an error reply becomes ``RedisError/Kind/server``.
    package func send(_ arguments: [String]) async throws(RedisError) -> RESPValue {
        try await send(bytes: arguments.map { Array($0.utf8) })
    }

    package func send(bytes arguments: [[UInt8]]) async throws(RedisError) -> RESPValue {
        guard !isClosed.withLockedValue({ $0 }) else { throw RedisError(.closed, "the client is shut down") }
        let command = arguments.first.map { String(decoding: $0.prefix(32), as: UTF8.self).uppercased() } ?? ""
        let (channel, slot, opened) = try await connection()
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let timeout = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(configuration.commandTimeout / .milliseconds(1)))) {
            // The slot forgets this connection before the failure is reported, so a retry opens a
            // fresh one instead of meeting this one while it closes.
            slot.withLockedValue { if $0 === opened { $0 = nil } }
            promise.fail(RedisError(.timeout, command: command, "no reply within \(self.configuration.commandTimeout)"))
            channel.close(promise: nil)
        }
        channel.writeAndFlush(RedisRequest(arguments: arguments, command: command, promise: promise), promise: nil)
        do {
            let reply = try await promise.futureResult.get()
            timeout.cancel()
            return reply
        } catch let error as RedisError {
            timeout.cancel()
            throw error
        } catch {
            timeout.cancel()
            throw RedisError(.connection, command: command, "\(error)")
        }
    }

    /// A live connection of the next slot, opening one when the slot has none or a closed one;
    /// with the slot and the future it came from (to forget it after a timeout).
    private func connection() async throws(RedisError) -> (any Channel, NIOLockedValueBox<EventLoopFuture<any Channel>?>, EventLoopFuture<any Channel>) {
        let index = next.withLockedValue { value -> Int in
            defer { value = (value + 1) % slots.count }
            return value
        }
        let slot = slots[index]
        let future = slot.withLockedValue { current -> EventLoopFuture<any Channel> in
            if let current { return current }
            let opening = open()
            current = opening
            return opening
        }
        do {
            let channel = try await future.get()
            if channel.isActive { return (channel, slot, future) }
        } catch {
            logger.warning("redis connection failed", metadata: ["error": .string("\(error)")])
        }
        // Broken or closed: forget it (unless another caller already replaced it) and open anew once.
        let fresh = slot.withLockedValue { current -> EventLoopFuture<any Channel> in
            if let current, current !== future { return current }
            let opening = open()
            current = opening
            return opening
        }
        do {
            return (try await fresh.get(), slot, fresh)
        } catch let error as RedisError {
            slot.withLockedValue { if $0 === fresh { $0 = nil } }
            throw error
        } catch {
            slot.withLockedValue { if $0 === fresh { $0 = nil } }
            throw RedisError(.connection, "cannot connect to \(configuration.host):\(configuration.port): \(error)")
        }
    }

    /// Connects and, when configured, authenticates and selects the database before anyone else
    /// may use the connection.
    private func open() -> EventLoopFuture<any Channel> {
        let configuration = configuration
        return RedisConnector.connect(configuration, on: group).flatMap { channel in
            var setup: [[String]] = []
            if let password = configuration.password { setup.append(["AUTH", password]) }
            if configuration.database != 0 { setup.append(["SELECT", String(configuration.database)]) }
            let replies = setup.map { arguments -> EventLoopFuture<RESPValue> in
                let promise = channel.eventLoop.makePromise(of: RESPValue.self)
                channel.writeAndFlush(RedisRequest(arguments: arguments.map { Array($0.utf8) }, command: arguments[0], promise: promise), promise: nil)
                return promise.futureResult
            }
            return EventLoopFuture.andAllSucceed(replies, on: channel.eventLoop).map { channel }.flatMapError { error in
                channel.close(promise: nil)
                return channel.eventLoop.makeFailedFuture(error)
            }
        }
    }
}
