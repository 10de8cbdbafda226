import ComproBuild
import ComproModel
import Foundation

enum PreviewFixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let fixtureTenants = "\(repository)/Tests/ComproRenderTests/Fixtures/tenants"
    static let now = SiteDate.parse("2026-11-25T10:00:00+07:00", defaultOffsetSeconds: 0)!

    static func temporaryDirectory(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "koni-\(name)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func environment(tenants: String = fixtureTenants, out: String = temporaryDirectory("live")) -> BuildEnvironment {
        BuildEnvironment(
            tenantsDirectory: tenants, templatesDirectory: "\(repository)/Templates", themesDirectory: "\(repository)/Themes",
            outputDirectory: out, now: now, keepReleases: 3
        )
    }

    /// A designer's candidate: biru-samudra with another primary colour.
    static func candidateTheme(primary: String = "#123456") throws -> String {
        let file = temporaryDirectory("theme") + "/kandidat.yml"
        try "name: Kandidat\ndescription: test\nextends: biru-samudra\nproperties:\n  color-primary: \"\(primary)\"\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// A writable copy of the fixture tenants.
    static func copyOfTenants() throws -> String {
        let destination = temporaryDirectory("tenants") + "/tenants"
        try FileManager.default.copyItem(atPath: fixtureTenants, toPath: destination)
        return destination
    }

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    /// The `koni-compro` executable, run in `directory`.
    static func cli(_ arguments: [String], in directory: String = repository) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(repository)/.build/debug/koni-compro")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ["KONI_NOW": "2026-11-25T10:00:00+07:00", "PATH": "/usr/bin:/bin"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self))
    }
}
