import CRabbitMQ
import Foundation
import Logging

/// A publish waiting for the broker's confirm.
struct PendingPublish {
    var publication: Publication
    var reply: Reply<Void>
    /// Set when the broker returned the (mandatory) message as unroutable; the confirm follows.
    var returned: (code: UInt16, text: String)?
}

/// A consumer stream and, while subscribed, the channel and consumer tag it has.
final class Consumer {
    let id: Int
    let queue: String
    let prefetch: UInt16
    let continuation: AsyncThrowingStream<AMQPDelivery, any Error>.Continuation
    var channel: UInt16?

    init(_ registration: ConsumerRegistration) {
        id = registration.id
        queue = registration.queue
        prefetch = registration.prefetch
        continuation = registration.continuation
    }

    var operation: String { "consume from queue '\(queue)'" }
}

extension Worker {
    func handle(_ command: Command) {
        switch command {
        case .declare(let item, let reply):
            reply.resume(
                returning: Result { () throws(AMQPError) in
                    try declare(item)
                    topology.remember(item)
                })
        case .delete(let deletion, let reply):
            reply.resume(
                returning: Result { () throws(AMQPError) in
                    try delete(deletion)
                    topology.forget(deletion)
                })
        case .queueStatus(let name, let reply):
            reply.resume(returning: Result { () throws(AMQPError) in try queueStatus(name) })
        case .publish(let publication, let reply):
            publish(publication, reply: reply)
        case .addConsumer(let registration):
            addConsumer(registration)
        case .removeConsumer(let id):
            removeConsumer(id)
        case .settle(let settlement, let reply):
            reply.resume(returning: Result { () throws(AMQPError) in try settle(settlement) })
        }
    }

    // MARK: - Topology

    func declare(_ item: TopologyItem) throws(AMQPError) {
        let operation = item.operation
        let state = try requireConnection(operation)
        try ensureControlChannel(operation)
        let arena = CArena()
        defer { arena.release() }
        let channel = Self.controlChannel
        let answered: Bool
        switch item {
        case .exchange(let name, let type, let durable):
            answered =
                amqp_exchange_declare(
                    state, channel, arena.bytes(name), arena.bytes(type), 0, durable ? 1 : 0, 0, 0, arena.table([:])) != nil
        case .queue(let name, let durable, let exclusive, let autoDelete, let arguments):
            answered =
                amqp_queue_declare(
                    state, channel, arena.bytes(name), 0, durable ? 1 : 0, exclusive ? 1 : 0, autoDelete ? 1 : 0,
                    arena.table(arguments)) != nil
        case .binding(let queue, let exchange, let routingKey, let arguments):
            answered =
                amqp_queue_bind(
                    state, channel, arena.bytes(queue), arena.bytes(exchange), arena.bytes(routingKey), arena.table(arguments)) != nil
        case .exchangeBinding(let destination, let source, let routingKey, let arguments):
            answered =
                amqp_exchange_bind(
                    state, channel, arena.bytes(destination), arena.bytes(source), arena.bytes(routingKey), arena.table(arguments)) != nil
        }
        if !answered { throw rpcFailure(operation, channel: channel) }
    }

    func delete(_ deletion: TopologyDeletion) throws(AMQPError) {
        let operation = deletion.operation
        let state = try requireConnection(operation)
        try ensureControlChannel(operation)
        let arena = CArena()
        defer { arena.release() }
        let answered =
            switch deletion {
            case .queue(let name): amqp_queue_delete(state, Self.controlChannel, arena.bytes(name), 0, 0) != nil
            case .exchange(let name): amqp_exchange_delete(state, Self.controlChannel, arena.bytes(name), 0) != nil
            case .binding(let queue, let exchange, let routingKey, let arguments):
                amqp_queue_unbind(
                    state, Self.controlChannel, arena.bytes(queue), arena.bytes(exchange), arena.bytes(routingKey), arena.table(arguments)) != nil
            }
        if !answered { throw rpcFailure(operation, channel: Self.controlChannel) }
    }

    func queueStatus(_ name: String) throws(AMQPError) -> AMQPQueueStatus {
        let operation = "inspect queue '\(name)'"
        let state = try requireConnection(operation)
        try ensureControlChannel(operation)
        let arena = CArena()
        defer { arena.release() }
        guard let ok = amqp_queue_declare(state, Self.controlChannel, arena.bytes(name), 1, 0, 0, 0, arena.table([:])) else {
            throw rpcFailure(operation, channel: Self.controlChannel)
        }
        return AMQPQueueStatus(
            name: CDecode.string(ok.pointee.queue), messageCount: Int(ok.pointee.message_count),
            consumerCount: Int(ok.pointee.consumer_count))
    }

    /// Declares everything remembered again on a new connection. A declaration the broker now
    /// refuses is logged and skipped; the rest still gets declared.
    func redeclareTopology() {
        for item in topology.items {
            do throws(AMQPError) {
                try declare(item)
            } catch {
                guard connection != nil else { return }
                logger.error("re-declaring after reconnect failed", metadata: ["error": "\(error)"])
            }
        }
        if !topology.items.isEmpty {
            logger.debug("re-declared topology", metadata: ["items": "\(topology.items.count)"])
        }
    }

    // MARK: - Publishing

    func publish(_ publication: Publication, reply: Reply<Void>) {
        let operation = publication.operation
        let state: amqp_connection_state_t
        do throws(AMQPError) {
            state = try requireConnection(operation)
            if openChannels[Self.publishChannel] == nil { try openPublishChannel() }
        } catch {
            return reply.resume(returning: .failure(error))
        }
        let arena = CArena()
        defer { arena.release() }
        var properties = amqp_basic_properties_t()
        properties._flags = amqp_flags_t(AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG)
        properties.content_type = arena.bytes(publication.contentType)
        properties.delivery_mode = publication.persistent ? 2 : 1
        if let messageID = publication.messageID {
            properties._flags |= amqp_flags_t(AMQP_BASIC_MESSAGE_ID_FLAG)
            properties.message_id = arena.bytes(messageID)
        }
        if !publication.headers.isEmpty {
            properties._flags |= amqp_flags_t(AMQP_BASIC_HEADERS_FLAG)
            properties.headers = arena.table(publication.headers)
        }
        let status = amqp_basic_publish(
            state, Self.publishChannel, arena.bytes(publication.exchange), arena.bytes(publication.routingKey),
            publication.mandatory ? 1 : 0, 0, &properties, arena.bytes(publication.body))
        guard status == AMQP_STATUS_OK.rawValue else {
            let reason = Self.statusText(status)
            dropConnection(reason: reason)
            return reply.resume(returning: .failure(.connectionLost(operation: operation, reason: reason)))
        }
        pendingConfirms[nextPublishTag] = PendingPublish(publication: publication, reply: reply)
        nextPublishTag += 1
    }

    func openPublishChannel() throws(AMQPError) {
        let operation = "open the publishing channel"
        try openChannel(Self.publishChannel, operation: operation)
        guard let state = connection else { throw .connectionLost(operation: operation, reason: lastError) }
        guard amqp_confirm_select(state, Self.publishChannel) != nil else {
            throw rpcFailure("enable publisher confirms", channel: Self.publishChannel)
        }
        nextPublishTag = 1
    }

    /// A `basic.ack` or `basic.nack` for one publish or, with `multiple`, all up to `tag`.
    func confirm(tag: UInt64, multiple: Bool, acknowledged: Bool) {
        let tags = multiple ? pendingConfirms.keys.filter { $0 <= tag }.sorted() : [tag]
        for tag in tags {
            guard let pending = pendingConfirms.removeValue(forKey: tag) else { continue }
            let operation = pending.publication.operation
            if !acknowledged {
                pending.reply.resume(returning: .failure(.nacked(operation: operation)))
            } else if let returned = pending.returned {
                pending.reply.resume(
                    returning: .failure(.returned(operation: operation, replyCode: returned.code, replyText: returned.text)))
            } else {
                pending.reply.resume(returning: .success(()))
            }
        }
    }

    /// A `basic.return` carries no delivery tag: it belongs to the oldest unconfirmed mandatory
    /// publish with the same exchange, routing key and message id (the broker sends it before
    /// that publish's confirm).
    func markReturned(exchange: String, routingKey: String, messageID: String?, code: UInt16, text: String) {
        let match = pendingConfirms.keys.sorted().first { tag in
            let pending = pendingConfirms[tag]!
            return pending.publication.mandatory && pending.returned == nil && pending.publication.exchange == exchange
                && pending.publication.routingKey == routingKey && pending.publication.messageID == messageID
        }
        if let match {
            pendingConfirms[match]!.returned = (code, text)
        } else {
            logger.warning(
                "returned message matches no pending publish",
                metadata: ["exchange": "\(exchange)", "routing_key": "\(routingKey)", "reply": "\(code) \(text)"])
        }
    }

    func failPendingConfirms(_ error: (String) -> AMQPError) {
        let pending = pendingConfirms
        pendingConfirms.removeAll()
        for tag in pending.keys.sorted() {
            let publish = pending[tag]!
            publish.reply.resume(returning: .failure(error(publish.publication.operation)))
        }
    }

    // MARK: - Consuming

    func addConsumer(_ registration: ConsumerRegistration) {
        let consumer = Consumer(registration)
        if closeDeadline != nil {
            consumer.continuation.finish(throwing: AMQPError.closed(operation: consumer.operation))
            return
        }
        consumers[consumer.id] = consumer
        if connection != nil {
            subscribe(consumer)
        } else if .now >= nextAttempt {
            connect()  // subscribes every consumer
        }
    }

    /// Opens the consumer's channel, sets its prefetch and starts consuming. A broker refusal (no
    /// such queue, access refused) ends the stream with that error; a lost connection leaves the
    /// consumer to be subscribed on the next one.
    func subscribe(_ consumer: Consumer) {
        let operation = consumer.operation
        do throws(AMQPError) {
            let channel = try allocateChannel(operation)
            try openChannel(channel, operation: operation)
            guard let state = connection else { throw .connectionLost(operation: operation, reason: lastError) }
            guard amqp_basic_qos(state, channel, 0, consumer.prefetch, 0) != nil else {
                throw rpcFailure(operation, channel: channel)
            }
            let arena = CArena()
            defer { arena.release() }
            guard amqp_basic_consume(state, channel, arena.bytes(consumer.queue), arena.bytes(""), 0, 0, 0, arena.table([:])) != nil
            else {
                throw rpcFailure(operation, channel: channel)
            }
            consumer.channel = channel
            consumerByChannel[channel] = consumer.id
            logger.debug("consuming", metadata: ["queue": "\(consumer.queue)", "channel": "\(channel)"])
        } catch {
            switch error {
            case .connectionLost, .connectionClosed, .notConnected:
                break
            default:
                logger.error("consumer stopped", metadata: ["queue": "\(consumer.queue)", "error": "\(error)"])
                consumers[consumer.id] = nil
                consumer.continuation.finish(throwing: error)
            }
        }
    }

    func removeConsumer(_ id: Int) {
        guard let consumer = consumers.removeValue(forKey: id) else { return }
        guard let channel = consumer.channel else { return }
        consumerByChannel[channel] = nil
        // Closing the channel cancels the consumer and returns its unacknowledged deliveries.
        closeChannel(channel, operation: "stop consuming from queue '\(consumer.queue)'")
    }

    func settle(_ settlement: Settlement) throws(AMQPError) {
        guard let state = connection, openChannels[settlement.channel] == settlement.session else {
            throw .staleDelivery(operation: settlement.operation)
        }
        let status =
            switch settlement.requeue {
            case nil: amqp_basic_ack(state, settlement.channel, settlement.deliveryTag, 0)
            case let requeue?: amqp_basic_reject(state, settlement.channel, settlement.deliveryTag, requeue ? 1 : 0)
            }
        guard status == AMQP_STATUS_OK.rawValue else {
            let reason = Self.statusText(status)
            dropConnection(reason: reason)
            throw .connectionLost(operation: settlement.operation, reason: reason)
        }
    }
}
