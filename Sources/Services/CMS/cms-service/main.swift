import CMSService
import Foundation
import KoniServiceKit
import Logging

// `cms-service`: settings from flags or KONI_CMS_* variables (see CMSConfiguration), JSON logs
// on standard error, graceful shutdown on SIGTERM.
if CommandLine.arguments.contains("--help") || CommandLine.arguments.contains("-h") {
    print(CMSConfiguration.helpText)
    exit(0)
}
do {
    let configuration = try CMSConfiguration.load(try ServiceConfiguration(prefix: CMSConfiguration.environmentPrefix))
    LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: configuration.logLevel) }
    var logger = Logger(label: "cms-service")
    logger.logLevel = configuration.logLevel
    try await CMSServer.run(configuration: configuration, logger: logger)
} catch let error as ConfigurationError {
    FileHandle.standardError.write(Data("cms-service: \(error)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("cms-service: \(String(reflecting: error))\n".utf8))
    exit(1)
}
