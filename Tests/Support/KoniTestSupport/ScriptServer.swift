import Foundation

/// A server written as a script in this repository (`Tests/Support/…`: moto's S3, the local
/// Midtrans) that prints one line when it is ready and serves until its standard input closes.
package enum ScriptServer {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Starts `python3 <script> <arguments>` and returns the line it printed when ready. Its
    /// standard input stays open for the life of the test process, so it stops when the tests end.
    package static func start(_ script: String, _ arguments: [String] = []) -> Result<String, Failure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Repository.root + "/" + script] + arguments
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        do { try process.run() } catch { return .failure(Failure(description: "cannot start \(script): \(error)")) }
        // Never released: closing it is what stops the server.
        _ = Unmanaged.passRetained(input)
        var line: [UInt8] = []
        while let byte = try? output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 0x0A { line.append(first) }
        guard !line.isEmpty else { return .failure(Failure(description: "\(script) stopped before it was ready")) }
        return .success(String(decoding: line, as: UTF8.self))
    }
}
