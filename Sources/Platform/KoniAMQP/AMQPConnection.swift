import Foundation
import Logging

/// A connection to an AMQP 0-9-1 broker (RabbitMQ) through librabbitmq, for publishing with
/// publisher confirms and consuming with manual acknowledgements.
///
/// The connection owns one thread that makes every librabbitmq call; the methods here hand it
/// work and wait for the answer. It connects as soon as it is created and reconnects by itself
/// after any loss (waiting `reconnectDelay`, doubling up to `maxReconnectDelay`), declares the
/// remembered topology again and resubscribes the consumers. Operations attempted while it is
/// disconnected fail at once with ``AMQPError/notConnected(operation:reason:)``, so a caller such
/// as an outbox relay simply retries later.
public final class AMQPConnection: Sendable {
    public let configuration: AMQPConfiguration
    private let inbox: Inbox
    private let sharedStatus = Locked(AMQPConnectionStatus())

    public init(configuration: AMQPConfiguration, logger: Logger) {
        self.configuration = configuration
        let inbox = Inbox()
        self.inbox = inbox
        let worker = Worker(configuration: configuration, logger: logger, inbox: inbox, status: sharedStatus)
        let thread = Thread { worker.run() }
        thread.name = "amqp \(configuration.connectionName)"
        thread.start()
    }

    deinit {
        inbox.requestClose(waiter: nil)
    }

    /// Whether the connection is up right now, how often it connected, and the last error; for
    /// readiness checks and logs.
    public var status: AMQPConnectionStatus {
        sharedStatus.withLock { $0 }
    }

    // MARK: - Topology

    /// Declares an exchange. Topology is remembered and re-declared automatically after every reconnect.
    public func declareExchange(_ name: String, type: String = "topic", durable: Bool = true) async throws(AMQPError) {
        let item = TopologyItem.exchange(name: name, type: type, durable: durable)
        try Self.checkShortString(name, "exchange name", item.operation)
        try Self.checkShortString(type, "exchange type", item.operation)
        try await inbox.call(item.operation) { .declare(item, $0) }
    }

    /// Declares a queue. Topology is remembered and re-declared automatically after every reconnect.
    /// An `exclusive` or `autoDelete` queue disappears with the connection and is re-created on the
    /// next one.
    public func declareQueue(
        _ name: String, durable: Bool = true, arguments: [String: AMQPFieldValue] = [:], exclusive: Bool = false,
        autoDelete: Bool = false
    ) async throws(AMQPError) {
        let item = TopologyItem.queue(
            name: name, durable: durable, exclusive: exclusive, autoDelete: autoDelete, arguments: arguments)
        try Self.checkShortString(name, "queue name", item.operation)
        try Self.checkTable(arguments, "argument", item.operation)
        try await inbox.call(item.operation) { .declare(item, $0) }
    }

    /// Binds a queue to an exchange. Topology is remembered and re-declared automatically after every reconnect.
    ///
    /// `arguments` are the binding's arguments; a headers exchange matches on them, e.g.
    /// `["x-match": "all", "tenant_slug": "jatim"]` (the routing key is then ignored).
    public func bindQueue(
        _ queue: String, exchange: String, routingKey: String, arguments: [String: AMQPFieldValue] = [:]
    ) async throws(AMQPError) {
        let item = TopologyItem.binding(queue: queue, exchange: exchange, routingKey: routingKey, arguments: arguments)
        try Self.checkBinding((queue, "queue name"), (exchange, "exchange name"), routingKey, arguments, item.operation)
        try await inbox.call(item.operation) { .declare(item, $0) }
    }

    /// Removes a queue binding made with the same exchange, routing key and arguments, and forgets
    /// it. Removing a binding that does not exist is not an error (RabbitMQ answers `unbind-ok`),
    /// so this also clears bindings left on a durable queue by an earlier run with other settings.
    public func unbindQueue(
        _ queue: String, exchange: String, routingKey: String, arguments: [String: AMQPFieldValue] = [:]
    ) async throws(AMQPError) {
        let deletion = TopologyDeletion.binding(queue: queue, exchange: exchange, routingKey: routingKey, arguments: arguments)
        try Self.checkBinding((queue, "queue name"), (exchange, "exchange name"), routingKey, arguments, deletion.operation)
        try await inbox.call(deletion.operation) { .delete(deletion, $0) }
    }

    /// Binds exchange `destination` to exchange `source` (RabbitMQ's exchange-to-exchange
    /// binding, `exchange.bind`): what `source` routes with a matching `routingKey` also goes to
    /// `destination`, which then routes it by its own type. Remembered and re-declared after every
    /// reconnect; forgotten when either exchange is deleted through this connection.
    public func bindExchange(
        _ destination: String, to source: String, routingKey: String, arguments: [String: AMQPFieldValue] = [:]
    ) async throws(AMQPError) {
        let item = TopologyItem.exchangeBinding(destination: destination, source: source, routingKey: routingKey, arguments: arguments)
        try Self.checkBinding(
            (destination, "destination exchange name"), (source, "source exchange name"), routingKey, arguments, item.operation)
        try await inbox.call(item.operation) { .declare(item, $0) }
    }

    /// Deletes a queue (with its messages) and forgets it and its bindings.
    public func deleteQueue(_ name: String) async throws(AMQPError) {
        let deletion = TopologyDeletion.queue(name)
        try Self.checkShortString(name, "queue name", deletion.operation)
        try await inbox.call(deletion.operation) { .delete(deletion, $0) }
    }

    /// Deletes an exchange and forgets it and the bindings to and from it.
    public func deleteExchange(_ name: String) async throws(AMQPError) {
        let deletion = TopologyDeletion.exchange(name)
        try Self.checkShortString(name, "exchange name", deletion.operation)
        try await inbox.call(deletion.operation) { .delete(deletion, $0) }
    }

    /// How many messages are ready in a queue and how many consumers it has (a passive declare;
    /// a missing queue throws ``AMQPError/channelClosed(operation:replyCode:replyText:)`` with 404).
    public func queueStatus(_ name: String) async throws(AMQPError) -> AMQPQueueStatus {
        let operation = "inspect queue '\(name)'"
        try Self.checkShortString(name, "queue name", operation)
        return try await inbox.call(operation) { .queueStatus(name, $0) }
    }

    // MARK: - Publishing

    /// Returns only after the broker confirmed the message (publisher confirms); throws if it was
    /// nacked/returned or the connection dropped before the confirm.
    ///
    /// A publish to a missing exchange throws ``AMQPError/channelClosed(operation:replyCode:replyText:)``
    /// with 404; the broker then also drops the publishes that were still unconfirmed on the
    /// connection's publishing channel, and they fail with the same error. The connection stays usable.
    /// With `mandatory`, a message no queue is bound for throws ``AMQPError/returned(operation:replyCode:replyText:)``.
    public func publish(
        exchange: String, routingKey: String, body: [UInt8], persistent: Bool = true, messageID: String? = nil,
        contentType: String = "application/json", headers: [String: AMQPFieldValue] = [:], mandatory: Bool = false
    ) async throws(AMQPError) {
        let publication = Publication(
            exchange: exchange, routingKey: routingKey, body: body, persistent: persistent, messageID: messageID,
            contentType: contentType, headers: headers, mandatory: mandatory)
        let operation = publication.operation
        try Self.checkShortString(exchange, "exchange name", operation, allowEmpty: true)
        try Self.checkShortString(routingKey, "routing key", operation, allowEmpty: true)
        try Self.checkShortString(contentType, "content type", operation, allowEmpty: true)
        if let messageID { try Self.checkShortString(messageID, "message id", operation) }
        try Self.checkTable(headers, "header", operation)
        try await inbox.call(operation) { .publish(publication, $0) }
    }

    // MARK: - Consuming

    /// Manual-ack consumer with the given prefetch (the most unacknowledged deliveries the broker
    /// hands out at once; 0 means no limit). The stream survives reconnects (it re-declares
    /// topology and re-subscribes; unacked deliveries are redelivered by the broker). Ends when the
    /// connection is closed, and with an error when the broker refuses the subscription (e.g. 404,
    /// no such queue) or cancels it. Stopping the iteration cancels the consumer.
    public func consume(queue: String, prefetch: UInt16) -> AsyncThrowingStream<AMQPDelivery, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: AMQPDelivery.self, throwing: (any Error).self)
        let operation = "consume from queue '\(queue)'"
        do throws(AMQPError) {
            try Self.checkShortString(queue, "queue name", operation)
        } catch {
            continuation.finish(throwing: error)
            return stream
        }
        let id = inbox.nextConsumerID()
        let inbox = self.inbox
        continuation.onTermination = { _ in inbox.submit(.removeConsumer(id: id)) }
        let registration = ConsumerRegistration(id: id, queue: queue, prefetch: prefetch, continuation: continuation)
        if !inbox.submit(.addConsumer(registration)) {
            continuation.finish(throwing: AMQPError.closed(operation: operation))
        }
        return stream
    }

    /// Waits up to `closeTimeout` for outstanding publisher confirms, ends the consumer streams
    /// (their unacknowledged deliveries go back to the queues), closes the connection and stops
    /// its thread. Later calls fail with ``AMQPError/closed(operation:)``.
    public func close() async {
        await withCheckedContinuation { continuation in
            inbox.requestClose(waiter: continuation)
        }
    }

    // MARK: - Checks

    /// Names, routing keys and the like are AMQP short strings: at most 255 bytes.
    private static func checkShortString(
        _ value: String, _ what: String, _ operation: String, allowEmpty: Bool = false
    ) throws(AMQPError) {
        if value.isEmpty, !allowEmpty { throw .invalidArgument(operation: operation, reason: "the \(what) is empty") }
        if value.utf8.count > 255 {
            throw .invalidArgument(operation: operation, reason: "the \(what) is \(value.utf8.count) bytes long; at most 255")
        }
    }

    /// The names, routing key and arguments of a binding: `destination` and `source` are
    /// (name, what it is) for the messages.
    private static func checkBinding(
        _ destination: (String, String), _ source: (String, String), _ routingKey: String, _ arguments: [String: AMQPFieldValue],
        _ operation: String
    ) throws(AMQPError) {
        try checkShortString(destination.0, destination.1, operation)
        try checkShortString(source.0, source.1, operation)
        try checkShortString(routingKey, "routing key", operation, allowEmpty: true)
        try checkTable(arguments, "argument", operation)
    }

    private static func checkTable(_ table: [String: AMQPFieldValue], _ what: String, _ operation: String) throws(AMQPError) {
        for key in table.keys {
            try checkShortString(key, "\(what) name", operation)
            if case .table(let nested) = table[key] { try checkTable(nested, what, operation) }
        }
    }
}
