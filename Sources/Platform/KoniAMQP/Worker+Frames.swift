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

extension Worker {
    /// Handles every frame that has arrived, without blocking. Bounded, so that a flood of
    /// deliveries cannot starve the commands.
    func readFrames() {
        var immediately = timeval(tv_sec: 0, tv_usec: 0)
        for _ in 0..<512 {
            guard let state = connection else { return }
            var frame = amqp_frame_t()
            let status = amqp_simple_wait_frame_noblock(state, &frame, &immediately)
            if status == AMQP_STATUS_TIMEOUT.rawValue { break }
            guard status == AMQP_STATUS_OK.rawValue else {
                return dropConnection(reason: Self.statusText(status))
            }
            if frame.frame_type == UInt8(AMQP_FRAME_METHOD) {
                handleMethod(frame)
            }
        }
        if let state = connection { amqp_maybe_release_buffers(state) }
    }

    private func handleMethod(_ frame: amqp_frame_t) {
        let channel = frame.channel
        let method = frame.payload.method
        guard let decoded = method.decoded else { return }
        switch method.id {
        case AMQP_BASIC_DELIVER_METHOD:
            handleDeliver(decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee, channel: channel)
        case AMQP_BASIC_ACK_METHOD where channel == Self.publishChannel:
            let ack = decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            confirm(tag: ack.delivery_tag, multiple: ack.multiple != 0, acknowledged: true)
        case AMQP_BASIC_NACK_METHOD where channel == Self.publishChannel:
            let nack = decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            confirm(tag: nack.delivery_tag, multiple: nack.multiple != 0, acknowledged: false)
        case AMQP_BASIC_RETURN_METHOD:
            handleReturn(decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee, channel: channel)
        case AMQP_BASIC_CANCEL_METHOD:
            handleCancel(channel: channel)
        case AMQP_CHANNEL_CLOSE_METHOD:
            let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            handleChannelClose(channel, code: close.reply_code, text: CDecode.string(close.reply_text))
        case AMQP_CONNECTION_CLOSE_METHOD:
            let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            acknowledgeConnectionClose(code: close.reply_code, text: CDecode.string(close.reply_text))
        case AMQP_CONNECTION_BLOCKED_METHOD:
            let blocked = decoded.assumingMemoryBound(to: amqp_connection_blocked_t.self).pointee
            logger.warning("the broker blocks publishing", metadata: ["reason": "\(CDecode.string(blocked.reason))"])
        case AMQP_CONNECTION_UNBLOCKED_METHOD:
            logger.info("the broker accepts publishing again")
        default:
            logger.debug("ignored AMQP method", metadata: ["method": "0x\(String(method.id, radix: 16))", "channel": "\(channel)"])
        }
    }

    private func handleDeliver(_ deliver: amqp_basic_deliver_t, channel: UInt16) {
        guard let state = connection else { return }
        let exchange = CDecode.string(deliver.exchange)
        let routingKey = CDecode.string(deliver.routing_key)
        var message = amqp_message_t()
        let reply = amqp_read_message(state, channel, &message, 0)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            return handleReadFailure(reply, channel: channel)
        }
        defer { amqp_destroy_message(&message) }

        // A delivery for a channel we closed meanwhile: the broker has requeued it already.
        guard let session = openChannels[channel] else { return }
        guard let id = consumerByChannel[channel], let consumer = consumers[id] else {
            let status = amqp_basic_reject(state, channel, deliver.delivery_tag, 1)
            if status != AMQP_STATUS_OK.rawValue { dropConnection(reason: Self.statusText(status)) }
            return
        }
        let properties = message.properties
        let flags = properties._flags
        func has(_ flag: Int32) -> Bool { flags & amqp_flags_t(flag) != 0 }
        let delivery = AMQPDelivery(
            body: CDecode.array(message.body),
            routingKey: routingKey,
            exchange: exchange,
            queue: consumer.queue,
            redelivered: deliver.redelivered != 0,
            messageID: has(AMQP_BASIC_MESSAGE_ID_FLAG) ? CDecode.string(properties.message_id) : nil,
            contentType: has(AMQP_BASIC_CONTENT_TYPE_FLAG) ? CDecode.string(properties.content_type) : nil,
            persistent: has(AMQP_BASIC_DELIVERY_MODE_FLAG) && properties.delivery_mode == 2,
            headers: has(AMQP_BASIC_HEADERS_FLAG) ? CDecode.table(properties.headers) : [:],
            token: DeliveryToken(
                inbox: inbox, channel: channel, session: session, deliveryTag: deliver.delivery_tag, queue: consumer.queue)
        )
        consumer.continuation.yield(delivery)
    }

    private func handleReturn(_ returned: amqp_basic_return_t, channel: UInt16) {
        guard let state = connection else { return }
        let code = returned.reply_code
        let text = CDecode.string(returned.reply_text)
        let exchange = CDecode.string(returned.exchange)
        let routingKey = CDecode.string(returned.routing_key)
        var message = amqp_message_t()
        let reply = amqp_read_message(state, channel, &message, 0)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            return handleReadFailure(reply, channel: channel)
        }
        defer { amqp_destroy_message(&message) }
        let hasID = message.properties._flags & amqp_flags_t(AMQP_BASIC_MESSAGE_ID_FLAG) != 0
        markReturned(
            exchange: exchange, routingKey: routingKey,
            messageID: hasID ? CDecode.string(message.properties.message_id) : nil, code: code, text: text)
    }

    private func handleReadFailure(_ reply: amqp_rpc_reply_t, channel: UInt16) {
        if reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION, reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD,
            let decoded = reply.reply.decoded
        {
            let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            return handleChannelClose(channel, code: close.reply_code, text: CDecode.string(close.reply_text))
        }
        _ = rpcFailure(reply, "read a message", channel: channel)
    }

    /// The broker closed a channel on its own. For the publishing channel every unconfirmed publish
    /// fails with the broker's reason (a publish to a missing exchange closes the channel with 404,
    /// and the broker drops whatever followed it on that channel) and the channel is reopened. A
    /// consumer is subscribed again unless its queue is gone or forbidden.
    private func handleChannelClose(_ channel: UInt16, code: UInt16, text: String) {
        acknowledgeChannelClose(channel)
        guard connection != nil else { return }
        switch channel {
        case Self.controlChannel:
            logger.warning("the broker closed the control channel", metadata: ["reply": "\(code) \(text)"])
        case Self.publishChannel:
            logger.warning("the broker closed the publishing channel", metadata: ["reply": "\(code) \(text)"])
            failPendingConfirms { .channelClosed(operation: $0, replyCode: code, replyText: text) }
            do throws(AMQPError) {
                try openPublishChannel()
            } catch {
                logger.error("reopening the publishing channel failed", metadata: ["error": "\(error)"])
            }
        default:
            guard let id = consumerByChannel.removeValue(forKey: channel), let consumer = consumers[id] else { return }
            consumer.channel = nil
            let error = AMQPError.channelClosed(operation: consumer.operation, replyCode: code, replyText: text)
            if code == 404 || code == 403 {
                logger.error("consumer stopped", metadata: ["queue": "\(consumer.queue)", "error": "\(error)"])
                consumers[id] = nil
                consumer.continuation.finish(throwing: error)
            } else {
                logger.warning("consumer channel closed; subscribing again", metadata: ["error": "\(error)"])
                subscribe(consumer)
            }
        }
    }

    /// The broker cancelled a consumer (its queue was deleted): the stream ends with an error.
    private func handleCancel(channel: UInt16) {
        guard let id = consumerByChannel.removeValue(forKey: channel), let consumer = consumers.removeValue(forKey: id) else {
            return
        }
        logger.error("the broker cancelled the consumer", metadata: ["queue": "\(consumer.queue)"])
        consumer.continuation.finish(throwing: AMQPError.consumerCancelled(queue: consumer.queue))
        closeChannel(channel, operation: "close the channel of a cancelled consumer")
    }
}
