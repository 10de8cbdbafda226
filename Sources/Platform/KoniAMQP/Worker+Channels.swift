import CRabbitMQ
import Foundation
import Logging

extension Worker {
    func openChannel(_ channel: UInt16, operation: String) throws(AMQPError) {
        guard let state = connection else { throw .connectionLost(operation: operation, reason: lastError) }
        guard amqp_channel_open(state, channel) != nil else { throw rpcFailure(operation, channel: channel) }
        lastSession += 1
        openChannels[channel] = lastSession
    }

    func ensureControlChannel(_ operation: String) throws(AMQPError) {
        if openChannels[Self.controlChannel] == nil {
            try openChannel(Self.controlChannel, operation: operation)
        }
    }

    /// A channel number for a new consumer; numbers are not reused within a connection, so that a
    /// late frame for a closed channel can never be mistaken for one of a newer consumer.
    func allocateChannel(_ operation: String) throws(AMQPError) -> UInt16 {
        guard let state = connection else { throw .connectionLost(operation: operation, reason: lastError) }
        let negotiated = amqp_get_channel_max(state)
        let limit = negotiated > 0 ? min(Int(negotiated), Int(UInt16.max)) : Int(UInt16.max)
        guard Int(nextConsumerChannel) <= limit, nextConsumerChannel != 0 else {
            throw .library(operation: operation, message: "no free channel number (the broker allows \(limit))")
        }
        defer { nextConsumerChannel &+= 1 }
        return nextConsumerChannel
    }

    func closeChannel(_ channel: UInt16, operation: String) {
        guard let state = connection, openChannels.removeValue(forKey: channel) != nil else { return }
        let reply = amqp_channel_close(state, channel, AMQP_REPLY_SUCCESS)
        if reply.reply_type != AMQP_RESPONSE_NORMAL {
            // Answer a channel.close that crossed ours, and notice a dead connection.
            let error = rpcFailure(reply, operation, channel: channel)
            logger.debug("closing a channel failed", metadata: ["channel": "\(channel)", "error": "\(error)"])
        }
    }

    /// Why the librabbitmq call that just returned NULL failed. Also restores a consistent state:
    /// a channel the broker closed gets its close-ok and counts as closed, and anything worse drops
    /// the connection (a library error leaves librabbitmq's state unusable).
    func rpcFailure(_ operation: String, channel: UInt16) -> AMQPError {
        guard let state = connection else { return .connectionLost(operation: operation, reason: lastError) }
        return rpcFailure(amqp_get_rpc_reply(state), operation, channel: channel)
    }

    func rpcFailure(_ reply: amqp_rpc_reply_t, _ operation: String, channel: UInt16) -> AMQPError {
        switch reply.reply_type {
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD, let decoded = reply.reply.decoded {
                let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                let text = CDecode.string(close.reply_text)
                acknowledgeChannelClose(channel)
                return .channelClosed(operation: operation, replyCode: close.reply_code, replyText: text)
            }
            if reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD, let decoded = reply.reply.decoded {
                let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                let text = CDecode.string(close.reply_text)
                acknowledgeConnectionClose(code: close.reply_code, text: text)
                return .connectionClosed(operation: operation, replyCode: close.reply_code, replyText: text)
            }
            let reason = "unexpected reply method 0x\(String(reply.reply.id, radix: 16))"
            dropConnection(reason: reason)
            return .library(operation: operation, message: reason)
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            let reason = Self.statusText(reply.library_error)
            dropConnection(reason: reason)
            return .connectionLost(operation: operation, reason: reason)
        default:
            let reason = "librabbitmq returned no reply"
            dropConnection(reason: reason)
            return .library(operation: operation, message: reason)
        }
    }

    /// The broker closed `channel`: answer with close-ok and forget it.
    func acknowledgeChannelClose(_ channel: UInt16) {
        openChannels[channel] = nil
        guard let state = connection else { return }
        var closeOK = amqp_channel_close_ok_t(dummy: 0)
        let status = amqp_send_method(state, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &closeOK)
        if status != AMQP_STATUS_OK.rawValue {
            dropConnection(reason: Self.statusText(status))
        }
    }

    /// The broker closed the connection (e.g. 320 CONNECTION_FORCED on shutdown): answer with
    /// close-ok, then reconnect like after any other loss.
    func acknowledgeConnectionClose(code: UInt16, text: String) {
        guard let state = connection else { return }
        var closeOK = amqp_connection_close_ok_t(dummy: 0)
        _ = amqp_send_method(state, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &closeOK)
        dropConnection(reason: "the broker closed the connection: \(code) \(text)")
    }

    static func statusText(_ status: Int32) -> String {
        guard let text = amqp_error_string2(status) else { return "librabbitmq status \(status)" }
        return String(cString: text)
    }

    /// A reply that is not `AMQP_RESPONSE_NORMAL` as text, for connection-level messages.
    static func replyText(_ reply: amqp_rpc_reply_t) -> String {
        switch reply.reply_type {
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            return statusText(reply.library_error)
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD, let decoded = reply.reply.decoded {
                let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                return "\(close.reply_code) \(CDecode.string(close.reply_text))"
            }
            if reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD, let decoded = reply.reply.decoded {
                let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                return "\(close.reply_code) \(CDecode.string(close.reply_text))"
            }
            return "unexpected reply method 0x\(String(reply.reply.id, radix: 16))"
        default:
            return "no reply"
        }
    }
}
