#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import CRabbitMQ
import Foundation
import Logging

/// The connection thread. librabbitmq is blocking and a connection may only be used by one thread
/// at a time, so every C call happens here; callers talk to it through the ``Inbox``. All `var`s are
/// touched only by this thread, which is why the class can be `@unchecked Sendable`.
final class Worker: @unchecked Sendable {
    let configuration: AMQPConfiguration
    let logger: Logger
    let inbox: Inbox
    let status: Locked<AMQPConnectionStatus>

    /// Channel 1 carries declarations, channel 2 publishes in confirm mode, every consumer gets a
    /// channel of its own from 3 up (basic.qos is per channel).
    static let controlChannel: UInt16 = 1
    static let publishChannel: UInt16 = 2
    static let firstConsumerChannel: UInt16 = 3

    var connection: amqp_connection_state_t?
    /// Why the last connection attempt failed or the connection was lost.
    var lastError = "not connected yet"
    var failedAttempts = 0
    var nextAttempt = ContinuousClock.now
    var topology = Topology()

    /// Open channels and which opening of them it is: an ack must go to the same opening of the
    /// channel its delivery came on, never to a later one with the same number.
    var openChannels: [UInt16: UInt64] = [:]
    var lastSession: UInt64 = 0
    var nextConsumerChannel = Worker.firstConsumerChannel

    var nextPublishTag: UInt64 = 1
    var pendingConfirms: [UInt64: PendingPublish] = [:]

    var consumers: [Int: Consumer] = [:]
    var consumerByChannel: [UInt16: Int] = [:]

    var closeDeadline: ContinuousClock.Instant?
    /// Set while `connect()` runs, so that the declarations it makes cannot start another attempt.
    var connecting = false

    init(configuration: AMQPConfiguration, logger: Logger, inbox: Inbox, status: Locked<AMQPConnectionStatus>) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "amqp.connection"] = "\(configuration.connectionName)"
        self.logger = logger
        self.inbox = inbox
        self.status = status
    }

    func run() {
        connect()
        while true {
            if closeDeadline == nil, inbox.isCloseRequested { beginClose() }
            for command in inbox.drain() { handle(command) }
            if let closeDeadline, pendingConfirms.isEmpty || connection == nil || .now >= closeDeadline {
                finishClose()
                return
            }
            if connection == nil {
                if closeDeadline == nil, .now >= nextAttempt {
                    connect()
                } else {
                    waitForWake(until: closeDeadline ?? nextAttempt)
                }
                continue
            }
            serviceSocket()
        }
    }

    // MARK: - Connecting

    func connect() {
        connecting = true
        defer { connecting = false }
        let endpoint = configuration.endpoint
        logger.debug("connecting", metadata: ["endpoint": "\(endpoint)"])
        guard let state = amqp_new_connection() else {
            return connectFailed("librabbitmq could not allocate a connection")
        }
        guard let socket = amqp_tcp_socket_new(state) else {
            amqp_destroy_connection(state)
            return connectFailed("librabbitmq could not allocate a TCP socket")
        }
        var connectTimeout = configuration.connectTimeout.cTimeval
        let opened = amqp_socket_open_noblock(socket, configuration.host, Int32(configuration.port), &connectTimeout)
        guard opened == AMQP_STATUS_OK.rawValue else {
            amqp_destroy_connection(state)
            return connectFailed("TCP connection failed: \(Self.statusText(opened))")
        }
        var handshakeTimeout = configuration.connectTimeout.cTimeval
        var rpcTimeout = configuration.rpcTimeout.cTimeval
        amqp_set_handshake_timeout(state, &handshakeTimeout)
        amqp_set_rpc_timeout(state, &rpcTimeout)

        let arena = CArena()
        defer { arena.release() }
        var properties = arena.table([
            "connection_name": .string(configuration.connectionName),
            "product": "KoniAMQP",
            "capabilities": ["consumer_cancel_notify": true, "connection.blocked": true],
        ])
        let reply = koni_amqp_login_plain(
            state, arena.cString(configuration.virtualHost), Int32(configuration.heartbeatSeconds), &properties,
            arena.cString(configuration.user), arena.cString(configuration.password))
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            let reason = Self.replyText(reply)
            amqp_destroy_connection(state)
            return connectFailed(
                "login as '\(configuration.user)' to virtual host '\(configuration.virtualHost)' failed: \(reason)")
        }

        connection = state
        openChannels.removeAll()
        nextConsumerChannel = Self.firstConsumerChannel
        do throws(AMQPError) {
            try openChannel(Self.controlChannel, operation: "open the control channel")
            try openPublishChannel()
        } catch {
            if connection != nil { dropConnection(reason: error.description) }
            return
        }
        redeclareTopology()
        guard connection != nil else { return }
        for consumer in consumers.values.sorted(by: { $0.id < $1.id }) where consumer.channel == nil {
            subscribe(consumer)
            guard connection != nil else { return }
        }
        failedAttempts = 0
        status.withLock { status in
            status.isConnected = true
            status.connections += 1
        }
        logger.info(
            "connected",
            metadata: [
                "endpoint": "\(endpoint)", "vhost": "\(configuration.virtualHost)",
                "heartbeat": "\(amqp_get_heartbeat(state))", "consumers": "\(consumers.count)",
            ])
    }

    private func connectFailed(_ reason: String) {
        lastError = reason
        status.withLock { $0.lastError = reason }
        failedAttempts += 1
        let delay = configuration.reconnectDelay(attempt: failedAttempts)
        nextAttempt = .now + delay
        logger.warning(
            "cannot connect to the AMQP broker; retrying",
            metadata: [
                "endpoint": "\(configuration.endpoint)", "error": "\(reason)", "retry_in": "\(delay)",
                "attempt": "\(failedAttempts)",
            ])
    }

    /// Forgets the connection after a socket error, a missed heartbeat or the broker closing it:
    /// pending publishes fail (the caller retries), consumers are subscribed again on the next
    /// connection, and the next attempt waits `reconnectDelay`.
    func dropConnection(reason: String) {
        guard let state = connection else { return }
        connection = nil
        amqp_destroy_connection(state)
        openChannels.removeAll()
        consumerByChannel.removeAll()
        for consumer in consumers.values {
            consumer.channel = nil
        }
        lastError = reason
        status.withLock { status in
            status.isConnected = false
            status.lastError = reason
        }
        failedAttempts += 1
        let delay = configuration.reconnectDelay(attempt: failedAttempts)
        nextAttempt = .now + delay
        failPendingConfirms { .connectionLost(operation: $0, reason: reason) }
        logger.warning(
            "AMQP connection lost; reconnecting",
            metadata: ["error": "\(reason)", "retry_in": "\(delay)", "consumers": "\(consumers.count)"])
    }

    /// The connection for an operation, connecting first if a reconnect attempt is due.
    func requireConnection(_ operation: String) throws(AMQPError) -> amqp_connection_state_t {
        if closeDeadline != nil { throw .closed(operation: operation) }
        if connection == nil, !connecting, .now >= nextAttempt { connect() }
        guard let connection else { throw .notConnected(operation: operation, reason: lastError) }
        return connection
    }

    // MARK: - Waiting

    /// Waits for the socket or a command, then reads whatever frames have arrived. Reading with a
    /// zero timeout also lets librabbitmq send heartbeats and notice missed ones.
    private func serviceSocket() {
        guard let state = connection else { return }
        if amqp_frames_enqueued(state) == 0, amqp_data_in_buffer(state) == 0 {
            var fds = [
                pollfd(fd: amqp_get_sockfd(state), events: Int16(POLLIN), revents: 0),
                pollfd(fd: inbox.wakeFD, events: Int16(POLLIN), revents: 0),
            ]
            var timeout = pollInterval
            if let closeDeadline { timeout = min(timeout, max(.zero, closeDeadline - .now)) }
            _ = poll(&fds, 2, timeout.milliseconds)
        }
        readFrames()
    }

    private func waitForWake(until deadline: ContinuousClock.Instant) {
        var fds = [pollfd(fd: inbox.wakeFD, events: Int16(POLLIN), revents: 0)]
        let timeout = min(max(.zero, deadline - .now), pollInterval)
        _ = poll(&fds, 1, timeout.milliseconds)
    }

    /// Often enough for librabbitmq to send heartbeats on time.
    private var pollInterval: Duration {
        let heartbeat = configuration.heartbeatSeconds
        return heartbeat > 0 ? min(.seconds(1), .milliseconds(heartbeat * 250)) : .seconds(1)
    }

    // MARK: - Closing

    private func beginClose() {
        closeDeadline = .now + configuration.closeTimeout
        for command in inbox.stopAccepting() { handle(command) }
        // Unacknowledged deliveries go back to their queues when the channels close.
        for consumer in consumers.values { consumer.continuation.finish() }
        consumers.removeAll()
        consumerByChannel.removeAll()
        logger.debug("closing", metadata: ["pending_confirms": "\(pendingConfirms.count)"])
    }

    private func finishClose() {
        if let state = connection {
            if !pendingConfirms.isEmpty {
                logger.warning("closing with publishes still unconfirmed", metadata: ["count": "\(pendingConfirms.count)"])
            }
            _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
            amqp_destroy_connection(state)
            connection = nil
        }
        status.withLock { $0.isConnected = false }
        failPendingConfirms { .closed(operation: $0) }
        for command in inbox.stopAccepting() { handle(command) }
        inbox.terminate()
        logger.info("AMQP connection closed")
    }
}

extension Duration {
    var cTimeval: timeval {
        let (seconds, attoseconds) = components
        return timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }

    var milliseconds: Int32 {
        let (seconds, attoseconds) = components
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
