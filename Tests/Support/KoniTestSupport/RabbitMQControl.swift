import Foundation

/// `rabbitmqctl` against one RabbitMQ node: the one `scripts/services` starts, or a test's own.
package struct RabbitMQControl: Sendable {
    /// The node's name (`-n`).
    package var node: String
    /// The environment rabbitmqctl runs in; its `HOME` holds the node's Erlang cookie.
    package var environment: [String: String]

    package init(node: String, environment: [String: String]) {
        self.node = node
        self.environment = environment
    }

    /// The node `scripts/services` started (`KONI_TEST_RABBITMQ_NODE`, `KONI_TEST_RABBITMQ_HOME`).
    package static func testServer() throws -> RabbitMQControl {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = try TestEnvironment.variable("KONI_TEST_RABBITMQ_HOME")
        return RabbitMQControl(node: try TestEnvironment.variable("KONI_TEST_RABBITMQ_NODE"), environment: environment)
    }

    /// Runs `rabbitmqctl -n <node> --quiet <arguments>` to completion, without blocking a
    /// cooperative thread.
    package func run(_ arguments: [String]) async throws -> ProcessRun {
        try await ProcessRunner.runAsync(Self.executable, ["-n", node, "--quiet"] + arguments, environment: environment)
    }

    /// Runs `arguments` and returns what rabbitmqctl printed; an error with its output when it fails.
    @discardableResult
    package func checked(_ arguments: [String]) async throws -> String {
        let result = try await run(arguments)
        guard result.status == 0 else {
            throw TestEnvironmentError(
                "rabbitmqctl -n \(node) \(arguments.joined(separator: " ")) exited with \(result.status): \(result.output)\(result.errors)")
        }
        return result.output
    }

    static let executable = "/usr/sbin/rabbitmqctl"
}
