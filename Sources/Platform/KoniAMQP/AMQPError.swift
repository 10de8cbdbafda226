/// Everything that can go wrong in KoniAMQP. Each case names the operation it interrupted (for
/// example `publish to exchange 'koni.events' with routing key 'cms.page_updated'`) and, where the
/// broker or librabbitmq gave one, its reason.
public enum AMQPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL given to ``AMQPConfiguration`` is not a usable `amqp://` URL. The password is never
    /// part of `url`.
    case invalidURL(url: String, reason: String)
    /// A configuration value is out of range.
    case invalidConfiguration(field: String, reason: String)
    /// An argument cannot be sent to the broker (for example a name longer than 255 bytes).
    case invalidArgument(operation: String, reason: String)
    /// Opening the TCP connection or logging in failed.
    case connectionFailed(endpoint: String, reason: String)
    /// There is no connection right now; the library is waiting to reconnect. `reason` is why the
    /// last attempt failed. Retry later.
    case notConnected(operation: String, reason: String)
    /// The connection dropped (socket error, missed heartbeats, broker restart) before the
    /// operation completed. A publish in this state may or may not have reached the broker.
    case connectionLost(operation: String, reason: String)
    /// The broker closed the channel because of the operation, e.g. `404 NOT_FOUND - no exchange
    /// 'x' in vhost '/'`. The connection stays usable.
    case channelClosed(operation: String, replyCode: UInt16, replyText: String)
    /// The broker closed the whole connection, e.g. `320 CONNECTION_FORCED`. The library reconnects.
    case connectionClosed(operation: String, replyCode: UInt16, replyText: String)
    /// The broker refused to take responsibility for the message (`basic.nack`).
    case nacked(operation: String)
    /// A `mandatory` message could not be routed to any queue and came back (`basic.return`).
    case returned(operation: String, replyCode: UInt16, replyText: String)
    /// The broker cancelled the consumer, typically because its queue was deleted.
    case consumerCancelled(queue: String)
    /// librabbitmq reported an error that is not one of the above.
    case library(operation: String, message: String)
    /// The delivery was already acknowledged or rejected.
    case alreadySettled(operation: String)
    /// The delivery came over a channel or connection that no longer exists, so it can no longer
    /// be acknowledged; the broker has put it back in the queue and delivers it again.
    case staleDelivery(operation: String)
    /// ``AMQPConnection/close()`` was called.
    case closed(operation: String)

    /// The AMQP reply code the broker sent, if this error came from the broker.
    public var replyCode: UInt16? {
        switch self {
        case .channelClosed(_, let code, _), .connectionClosed(_, let code, _), .returned(_, let code, _): code
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            "invalid AMQP URL '\(url)': \(reason)"
        case .invalidConfiguration(let field, let reason):
            "invalid AMQP configuration '\(field)': \(reason)"
        case .invalidArgument(let operation, let reason):
            "\(operation): \(reason)"
        case .connectionFailed(let endpoint, let reason):
            "cannot connect to the AMQP broker at \(endpoint): \(reason)"
        case .notConnected(let operation, let reason):
            "\(operation): not connected to the AMQP broker (waiting to reconnect; last error: \(reason))"
        case .connectionLost(let operation, let reason):
            "\(operation): the AMQP connection was lost: \(reason)"
        case .channelClosed(let operation, let code, let text):
            "\(operation): the broker closed the channel: \(code) \(text)"
        case .connectionClosed(let operation, let code, let text):
            "\(operation): the broker closed the connection: \(code) \(text)"
        case .nacked(let operation):
            "\(operation): the broker refused the message (basic.nack)"
        case .returned(let operation, let code, let text):
            "\(operation): the broker returned the unroutable mandatory message: \(code) \(text)"
        case .consumerCancelled(let queue):
            "consume from queue '\(queue)': the broker cancelled the consumer (was the queue deleted?)"
        case .library(let operation, let message):
            "\(operation): librabbitmq: \(message)"
        case .alreadySettled(let operation):
            "\(operation): the delivery was already acknowledged or rejected"
        case .staleDelivery(let operation):
            "\(operation): the delivery's channel is gone (reconnected since); the broker redelivers the message"
        case .closed(let operation):
            "\(operation): the AMQP connection was closed"
        }
    }
}
