import Foundation

/// A finished process: its exit status and what it printed.
package struct ProcessRun: Sendable {
    package var status: Int32
    package var output: String
    package var errors: String
}

/// Runs programs (the CLI, openssl, nginx) as an operator would.
package enum ProcessRunner {
    /// The environment the CLI tests run `koni-compro` in: a fixed "now" and a minimal PATH.
    package static let cliEnvironment = ["KONI_NOW": "2026-11-25T10:00:00+07:00", "PATH": "/usr/bin:/bin"]

    /// Runs `executable` to completion. Output goes to files rather than pipes, so that a
    /// program that fills one stream while the other is read can never block.
    package static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil
    ) throws -> ProcessRun {
        let (process, out, err) = try prepare(executable, arguments, environment: environment, directory: directory)
        try process.run()
        process.waitUntilExit()
        return finish(process.terminationStatus, out, err)
    }

    /// The same, without blocking a cooperative thread (for a program that calls back into a
    /// server running in this process).
    package static func runAsync(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil
    ) async throws -> ProcessRun {
        let (process, out, err) = try prepare(executable, arguments, environment: environment, directory: directory)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        return finish(status, out, err)
    }

    private static func prepare(
        _ executable: String, _ arguments: [String], environment: [String: String]?, directory: String?
    ) throws -> (Process, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let folder = TemporaryFolders.make("process")
        let out = "\(folder)/stdout", err = "\(folder)/stderr"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        return (process, out, err)
    }

    private static func finish(_ status: Int32, _ out: String, _ err: String) -> ProcessRun {
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        defer { try? FileManager.default.removeItem(atPath: (out as NSString).deletingLastPathComponent) }
        return ProcessRun(status: status, output: read(out), errors: read(err))
    }
}
