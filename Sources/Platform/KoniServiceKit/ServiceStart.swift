import ArgumentParser
import Foundation
import Hummingbird
import KoniAMQP
import KoniLogging
import Logging

/// How every service's command starts: settings from flags and `<PREFIX>*` variables (a wrong
/// one is printed naming it, exit status 2, before anything starts), then JSON logs at the
/// configured level, then the service.
public enum ServiceStart {
    /// Parses the process's arguments and runs `command`; what a service's `main.swift` calls.
    /// Through a generic so that `AsyncParsableCommand.main` (which awaits `run()`) is chosen over
    /// the synchronous `ParsableCommand.main`.
    public static func main<Command: AsyncParsableCommand>(_ command: Command.Type) async {
        await command.main(nil)
    }

    public static func run<Configuration>(
        name: String, prefix: String, flags: [(String, String?)],
        load: (ServiceConfiguration) throws(ConfigurationError) -> Configuration, logLevel: (Configuration) -> Logger.Level,
        run: (Configuration, Logger) async throws -> Void
    ) async throws {
        let given = Dictionary(flags.compactMap { name, value in value.map { (name, $0) } }, uniquingKeysWith: { _, last in last })
        let configuration: Configuration
        do {
            configuration = try load(ServiceConfiguration(prefix: prefix, flags: given))
        } catch {
            FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
            throw ExitCode(2)
        }
        let level = logLevel(configuration)
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        var logger = Logger(label: name)
        logger.logLevel = level
        try await run(configuration, logger)
    }
}

extension ServiceStart {
    /// Runs a service whose outbox publishes to RabbitMQ until SIGTERM or SIGINT: connects to the
    /// broker (reconnecting on its own while it is away), serves, and on the signal lets the
    /// application drain (requests, then the relay's last pass) before closing the connection.
    public static func runWithBroker<App: ApplicationProtocol>(
        name: String, amqpURL: String, exchange: String, port: Int, logger: Logger,
        makeApplication: (AMQPOutboxPublisher, AMQPConnection) async throws -> App
    ) async throws {
        let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: amqpURL, connectionName: name), logger: logger)
        let app = try await makeApplication(AMQPOutboxPublisher(connection: amqp, exchange: exchange), amqp)
        logger.info("\(name) starting", metadata: ["port": .stringConvertible(port), "exchange": .string(exchange)])
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            await amqp.close()
            throw error
        }
        await amqp.close()
        logger.info("\(name) stopped")
    }
}
