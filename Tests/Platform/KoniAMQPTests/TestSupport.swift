import Foundation
@testable import KoniAMQP
import KoniTestSupport
import Logging
import Testing

/// The RabbitMQ that scripts/test starts (scripts/services start rabbitmq).
enum TestBroker {
    static func url() throws -> String {
        try TestEnvironment.amqpURL
    }

    static func configuration(name: String, reconnectDelay: Duration = .milliseconds(100)) throws -> AMQPConfiguration {
        try AMQPConfiguration(
            url: url(), heartbeatSeconds: 10, connectionName: name, reconnectDelay: reconnectDelay,
            maxReconnectDelay: .seconds(1), connectTimeout: .seconds(5), rpcTimeout: .seconds(10))
    }

    static func connect(_ name: String) throws -> AMQPConnection {
        AMQPConnection(configuration: try configuration(name: name), logger: logger)
    }

    static var logger: Logger {
        var logger = Logger(label: "koni.amqp.test")
        logger.logLevel = .notice
        return logger
    }

    /// Names no other test (or earlier run) uses.
    static func unique(_ prefix: String) -> String {
        "koni.test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Makes the broker close the connection(s) with this client-provided name, the way a broker
    /// restart or an operator would, without touching other tests' connections.
    static func closeConnections(named name: String) async throws -> Int {
        // One connection per line: "<pid>\t[{"connection_name","<name>"},…]".
        let broker = try RabbitMQControl.testServer()
        let listing = try await broker.checked(["list_connections", "--no-table-headers", "pid", "client_properties"])
        var closed = 0
        for line in listing.split(separator: "\n") where line.contains("{\"connection_name\",\"\(name)\"}") {
            guard let pid = line.split(separator: "\t").first, pid.hasPrefix("<") else {
                throw TestEnvironmentError("unexpected list_connections line: \(line)")
            }
            try await broker.checked(["close_connection", String(pid), "test: simulated broker-side disconnect"])
            closed += 1
        }
        if closed == 0 { throw TestEnvironmentError("no connection named \(name) in:\n\(listing)") }
        return closed
    }
}

/// Collects a consumer stream's deliveries so that a test can wait for the next one without
/// owning the (non-Sendable) iterator, and without hanging forever if none comes.
final class Collector: Sendable {
    private let state = Locked(State())
    private let task: Task<Void, Never>

    private struct State {
        var deliveries: [AMQPDelivery] = []
        var ended = false
        var error: String?
    }

    init(_ stream: AsyncThrowingStream<AMQPDelivery, any Error>) {
        let state = self.state
        task = Task {
            do {
                for try await delivery in stream {
                    state.withLock { $0.deliveries.append(delivery) }
                }
                state.withLock { $0.ended = true }
            } catch {
                state.withLock { state in
                    state.ended = true
                    state.error = "\(error)"
                }
            }
        }
    }

    /// The next delivery; a test failure (not a hang) if none arrives within `limit`.
    func next(limit: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation) async throws -> AMQPDelivery {
        let deadline = ContinuousClock.now + limit
        while true {
            let (delivery, ended, error) = state.withLock { state -> (AMQPDelivery?, Bool, String?) in
                if !state.deliveries.isEmpty { return (state.deliveries.removeFirst(), false, nil) }
                return (nil, state.ended, state.error)
            }
            if let delivery { return delivery }
            if ended {
                throw TestEnvironmentError("the consumer stream ended\(error.map { " with: \($0)" } ?? "") before the next delivery")
            }
            if ContinuousClock.now >= deadline {
                throw TestEnvironmentError("no delivery arrived within \(limit)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Deliveries received and not yet taken with `next()`.
    var buffered: Int { state.withLock { $0.deliveries.count } }

    /// Waits until the stream has ended and returns its error text (nil if it finished normally).
    func end(limit: Duration = .seconds(15)) async throws -> String? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let (ended, error) = state.withLock { ($0.ended, $0.error) }
            if ended { return error }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestEnvironmentError("the consumer stream did not end within \(limit)")
    }

    func cancel() { task.cancel() }
}

extension Array where Element == UInt8 {
    init(_ string: String) { self = Array(string.utf8) }
}
