#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import Foundation
import KoniTestSupport

@testable import KoniAMQP

/// A TCP relay between the library and the broker that a test can cut (connections reset and new
/// ones refused, as while a broker restarts) or freeze (bytes stop flowing but the sockets stay
/// open, as on a dead network path), without touching other tests' connections to the broker.
final class TCPProxy: Sendable {
    /// The loopback port to connect to instead of the broker's.
    let port: UInt16
    private let targetPort: UInt16
    private let state = Locked(State())

    private struct State {
        var listening: Listener?
        var links: [Link] = []
    }

    init(targetPort: Int) throws {
        self.targetPort = UInt16(targetPort)
        let listener = try Listener(port: 0)
        port = listener.port
        state.withLock { $0.listening = listener }
        runAcceptLoop(listener)
    }

    /// Accepts connections again, on the same port.
    func restore() throws {
        let listener = try Listener(port: port)
        state.withLock { $0.listening = listener }
        runAcceptLoop(listener)
    }

    /// Resets every relayed connection and refuses new ones until `restore()`.
    func cut() {
        let (listener, links) = state.withLock { state in
            defer {
                state.listening = nil
                state.links.removeAll()
            }
            return (state.listening, state.links)
        }
        listener?.stop()
        for link in links { link.cut() }
    }

    /// Stops relaying bytes on the connections open now; new connections work normally.
    func freeze() {
        for link in state.withLock({ $0.links }) { link.freeze() }
    }

    deinit { cut() }

    private func runAcceptLoop(_ listener: Listener) {
        let targetPort = targetPort
        let state = state
        Thread.detachNewThread {
            while let client = listener.accept() {
                guard let upstream = connectLoopback(port: targetPort) else {
                    close(client)
                    continue
                }
                let link = Link(client, upstream)
                state.withLock { $0.links.append(link) }
                link.start()
            }
            listener.close()
        }
    }
}

private final class Listener: Sendable {
    let fd: Int32
    let port: UInt16
    private let stopped = Locked(false)

    init(port: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = loopbackAddress(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            Glibc.close(fd)
            throw TestEnvironmentError("proxy cannot listen on port \(port): errno \(errno)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = UInt16(bigEndian: actual.sin_port)
    }

    /// The next client, or nil once stopped.
    func accept() -> Int32? {
        while !stopped.withLock({ $0 }) {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 20) > 0 else { continue }
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 { return client }
        }
        return nil
    }

    func stop() { stopped.withLock { $0 = true } }
    func close() { Glibc.close(fd) }
}

/// One relayed connection: a pump thread per direction. Only the pumps close the sockets (the
/// last one to finish), so that a socket number is never closed under a thread still using it.
private final class Link: Sendable {
    private let client: Int32
    private let upstream: Int32
    private let state = Locked((cut: false, frozen: false, running: 2))

    init(_ client: Int32, _ upstream: Int32) {
        self.client = client
        self.upstream = upstream
    }

    func start() {
        Thread.detachNewThread { self.pump(from: self.client, to: self.upstream) }
        Thread.detachNewThread { self.pump(from: self.upstream, to: self.client) }
    }

    func cut() {
        state.withLock { $0.cut = true }
        shutdown(client, Int32(SHUT_RDWR))
        shutdown(upstream, Int32(SHUT_RDWR))
    }

    func freeze() { state.withLock { $0.frozen = true } }

    private func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        loop: while true {
            let (cut, frozen) = state.withLock { ($0.cut, $0.frozen) }
            if cut { break }
            if frozen {
                usleep(20_000)
                continue
            }
            var poller = pollfd(fd: source, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 20) > 0 else { continue }
            let count = read(source, &buffer, buffer.count)
            if count <= 0 { break }
            var written = 0
            while written < count {
                // send with MSG_NOSIGNAL, not write: the other direction may have shut this socket
                // down already, and EPIPE must end the pump, not raise SIGPIPE in the test process.
                let result = buffer[written..<count].withUnsafeBytes { send(destination, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if result <= 0 { break loop }
                written += result
            }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
        let last = state.withLock { state in
            state.running -= 1
            return state.running == 0
        }
        if last {
            close(client)
            close(upstream)
        }
    }
}

private func loopbackAddress(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

private func connectLoopback(port: UInt16) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = loopbackAddress(port: port)
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    if connected != 0 {
        close(fd)
        return nil
    }
    return fd
}
