#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import Synchronization

typealias Reply<T> = CheckedContinuation<Result<T, AMQPError>, Never>

/// Work handed to the connection thread.
enum Command: Sendable {
    case declare(TopologyItem, Reply<Void>)
    case delete(TopologyDeletion, Reply<Void>)
    case queueStatus(String, Reply<AMQPQueueStatus>)
    case publish(Publication, Reply<Void>)
    case addConsumer(ConsumerRegistration)
    case removeConsumer(id: Int)
    case settle(Settlement, Reply<Void>)
}

struct Publication: Sendable {
    var exchange: String
    var routingKey: String
    var body: [UInt8]
    var persistent: Bool
    var messageID: String?
    var contentType: String
    var headers: [String: AMQPFieldValue]
    var mandatory: Bool

    var operation: String { "publish to exchange '\(exchange)' with routing key '\(routingKey)'" }
}

struct ConsumerRegistration: Sendable {
    var id: Int
    var queue: String
    var prefetch: UInt16
    var continuation: AsyncThrowingStream<AMQPDelivery, any Error>.Continuation
}

struct Settlement: Sendable {
    var channel: UInt16
    var session: UInt64
    var deliveryTag: UInt64
    /// nil to acknowledge, otherwise reject with this requeue flag.
    var requeue: Bool?
    var operation: String
}

/// The queue of commands for the connection thread, and a pipe that wakes the thread from
/// `poll(2)` when a command arrives (so that it does not have to spin on short timeouts).
final class Inbox: Sendable {
    private struct State {
        var commands: [Command] = []
        var accepting = true
        var terminated = false
        var closeRequested = false
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
        var lastConsumerID = 0
    }

    private let state = Mutex(State())
    /// Read end for the thread's poll(2), write end for everybody else; both non-blocking.
    let wakeFD: Int32
    private let wakeWriteFD: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        // Without the pipe the thread could not be woken; that is not recoverable.
        precondition(pipe(&fds) == 0, "KoniAMQP: pipe(2) failed: errno \(errno)")
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        wakeFD = fds[0]
        wakeWriteFD = fds[1]
    }

    /// Queues a command; false once the connection is closing.
    @discardableResult
    func submit(_ command: Command) -> Bool {
        state.withLock { state in
            guard state.accepting else { return false }
            state.commands.append(command)
            wake(state)
            return true
        }
    }

    /// Submits a command that answers through a continuation and waits for the answer.
    func call<T: Sendable>(_ operation: String, _ make: (Reply<T>) -> Command) async throws(AMQPError) -> T {
        let result: Result<T, AMQPError> = await withCheckedContinuation { continuation in
            if !submit(make(continuation)) {
                continuation.resume(returning: .failure(.closed(operation: operation)))
            }
        }
        return try result.get()
    }

    func nextConsumerID() -> Int {
        state.withLock { state in
            state.lastConsumerID += 1
            return state.lastConsumerID
        }
    }

    func drain() -> [Command] {
        state.withLock { state in
            var byte: UInt8 = 0
            while read(wakeFD, &byte, 1) > 0 {}
            let drained = state.commands
            state.commands.removeAll()
            return drained
        }
    }

    var isCloseRequested: Bool { state.withLock { $0.closeRequested } }

    /// Asks the thread to close; `waiter` is resumed once it has.
    func requestClose(waiter: CheckedContinuation<Void, Never>?) {
        let alreadyClosed = state.withLock { state in
            if state.terminated { return true }
            if let waiter { state.closeWaiters.append(waiter) }
            state.closeRequested = true
            wake(state)
            return false
        }
        if alreadyClosed { waiter?.resume() }
    }

    /// Refuses further commands and returns those not yet taken.
    func stopAccepting() -> [Command] {
        state.withLock { state in
            state.accepting = false
            let drained = state.commands
            state.commands.removeAll()
            return drained
        }
    }

    /// The thread is gone: wakes every `close()` caller and closes the pipe.
    func terminate() {
        let waiters = state.withLock { state in
            state.terminated = true
            state.accepting = false
            let waiters = state.closeWaiters
            state.closeWaiters.removeAll()
            close(wakeFD)
            close(wakeWriteFD)
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Called with the lock held, so that a write never races `terminate()` closing the pipe.
    private func wake(_ state: State) {
        guard !state.terminated else { return }
        var byte: UInt8 = 1
        _ = write(wakeWriteFD, &byte, 1)  // a full pipe already means "wake up"
    }
}
