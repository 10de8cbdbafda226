import Foundation
import KoniTestSupport

/// A RabbitMQ node of one test's own (node name, ports, folder under a temporary directory owned
/// by the `rabbitmq` user, as the Debian wrapper needs), so that the test can stop and start
/// it without disturbing the shared broker other tests use in parallel.
struct PrivateBroker: Sendable {
    let directory: String
    let node: String
    let port: Int
    let distributionPort: Int

    var url: String { "amqp://guest:guest@127.0.0.1:\(port)/" }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts a fresh node and waits until it accepts connections.
    static func start() async throws -> PrivateBroker {
        let id = UUID().uuidString.prefix(8).lowercased()
        let directory = NSTemporaryDirectory() + "koni-private-rabbitmq-\(id)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The Debian wrapper drops to the rabbitmq user, which must own the folder.
        try FileManager.default.setAttributes([.ownerAccountName: "rabbitmq", .groupOwnerAccountName: "rabbitmq"], ofItemAtPath: directory)
        // Ports away from scripts/services' (25672+slot, 35672+slot and rabbitmqctl's 45672+slot…):
        // the node port in 46000..<54000 and the distribution port in 36000..<44000 (rabbitmqctl
        // then uses distribution port + 10000 and up, under 54011).
        let broker = PrivateBroker(
            directory: directory, node: "koni-private-\(id)@localhost", port: try freePort(in: 46000..<54000),
            distributionPort: try freePort(in: 36000..<44000))
        try await broker.startNode()
        return broker
    }

    /// Starts the node on its folder (keeping its data: durable queues, exchanges and bindings
    /// and persistent messages survive, as on a real restart).
    func startNode() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/rabbitmq-server")
        process.environment = environment.merging([
            "RABBITMQ_MNESIA_BASE": "\(directory)/mnesia", "RABBITMQ_LOG_BASE": "\(directory)/log",
            "RABBITMQ_NODE_PORT": String(port), "RABBITMQ_DIST_PORT": String(distributionPort), "RABBITMQ_NODENAME": node,
        ]) { $1 }
        let logPath = "\(directory)/out.log"
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw Failure(description: "cannot write \(logPath)") }
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        // `await_startup` fails at once while the node is not reachable yet; retry until it answers.
        let deadline = ContinuousClock.now + .seconds(90)
        while try await ctl("await_startup") != 0 {
            guard ContinuousClock.now < deadline, process.isRunning else {
                let output = (try? String(contentsOfFile: "\(directory)/out.log", encoding: .utf8)) ?? ""
                throw Failure(description: "private RabbitMQ node \(node) did not start within 90 s:\n\(output.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Stops the whole node (`rabbitmqctl stop`): every connection drops, as on a broker restart.
    func stopNode() async throws {
        let status = try await ctl("stop")
        if status != 0 { throw Failure(description: "rabbitmqctl -n \(node) stop exited with \(status)") }
    }

    /// Stops the node (if running) and removes its folder.
    func remove() async {
        _ = try? await ctl("stop")
        try? FileManager.default.removeItem(atPath: directory)
    }

    private var environment: [String: String] {
        ["HOME": directory, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"]
    }

    /// Runs `rabbitmqctl -n <node> <command>` and returns its exit status.
    private func ctl(_ command: String) async throws -> Int32 {
        try await RabbitMQControl(node: node, environment: environment).run([command]).status
    }

    /// A loopback TCP port in `range` that nothing listens on right now.
    private static func freePort(in range: Range<Int>) throws -> Int {
        for _ in 0..<50 {
            let candidate = Int.random(in: range)
            let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard socket >= 0 else { continue }
            defer { close(socket) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(candidate).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0 { return candidate }
        }
        throw Failure(description: "no free port in \(range)")
    }
}
