#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

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
final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var commands: [Command] = []
    private var accepting = true
    private var terminated = false
    private var closeRequested = false
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []
    private var lastConsumerID = 0
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
        lock.lock()
        defer { lock.unlock() }
        guard accepting else { return false }
        commands.append(command)
        wakeLocked()
        return true
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
        lock.lock()
        defer { lock.unlock() }
        lastConsumerID += 1
        return lastConsumerID
    }

    func drain() -> [Command] {
        lock.lock()
        defer { lock.unlock() }
        var byte: UInt8 = 0
        while read(wakeFD, &byte, 1) > 0 {}
        let drained = commands
        commands.removeAll()
        return drained
    }

    var isCloseRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return closeRequested
    }

    /// Asks the thread to close; `waiter` is resumed once it has.
    func requestClose(waiter: CheckedContinuation<Void, Never>?) {
        lock.lock()
        if terminated {
            lock.unlock()
            waiter?.resume()
            return
        }
        if let waiter { closeWaiters.append(waiter) }
        closeRequested = true
        wakeLocked()
        lock.unlock()
    }

    /// Refuses further commands and returns those not yet taken.
    func stopAccepting() -> [Command] {
        lock.lock()
        defer { lock.unlock() }
        accepting = false
        let drained = commands
        commands.removeAll()
        return drained
    }

    /// The thread is gone: wakes every `close()` caller and closes the pipe.
    func terminate() {
        lock.lock()
        terminated = true
        accepting = false
        let waiters = closeWaiters
        closeWaiters.removeAll()
        close(wakeFD)
        close(wakeWriteFD)
        lock.unlock()
        for waiter in waiters { waiter.resume() }
    }

    private func wakeLocked() {
        guard !terminated else { return }
        var byte: UInt8 = 1
        _ = write(wakeWriteFD, &byte, 1)  // a full pipe already means "wake up"
    }
}
