import NIOCore
import NIOPosix

/// One command on its way: the encoded arguments, the command's name (for errors) and where its
/// reply goes.
struct RedisRequest: Sendable {
    var arguments: [[UInt8]]
    var command: String
    var promise: EventLoopPromise<RESPValue>
}

/// Pipelines commands on one connection: replies arrive in the order the commands were sent, so
/// each reply completes the oldest waiting promise. When the connection fails or closes, every
/// waiting command fails with it.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private var waiting = CircularBuffer<(command: String, promise: EventLoopPromise<RESPValue>)>()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: 64)
        RESPEncoder.encode(request.arguments, into: &buffer)
        waiting.append((request.command, request.promise))
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        guard let (command, promise) = waiting.popFirst() else {
            // A reply nobody asked for: the stream is out of step.
            context.close(promise: nil)
            return
        }
        if case .error(let message) = reply {
            promise.fail(RedisError(.server, command: command, message))
        } else {
            promise.succeed(reply)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let failure = (error as? RedisError) ?? RedisError(.connection, "\(error)")
        // Closed first, so that a caller retrying on a failed command never picks this channel again.
        context.close(promise: nil)
        failAll(failure)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RedisError(.connection, "the connection closed"))
        context.fireChannelInactive()
    }

    private func failAll(_ error: RedisError) {
        while let (command, promise) = waiting.popFirst() {
            var failure = error
            failure.command = command
            promise.fail(failure)
        }
    }
}

/// Opens a connection with the decoder and the command handler in its pipeline.
enum RedisConnector {
    static func connect(_ configuration: RedisConfiguration, on group: any EventLoopGroup) -> EventLoopFuture<any Channel> {
        let connectMilliseconds = Int64(configuration.connectTimeout / .milliseconds(1))
        let maximumBytes = configuration.maximumReplyBytes
        return ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(connectMilliseconds))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder(maximumBulkBytes: maximumBytes)))
                    try channel.pipeline.syncOperations.addHandler(RedisCommandHandler())
                }
            }
            .connect(host: configuration.host, port: configuration.port)
    }
}
