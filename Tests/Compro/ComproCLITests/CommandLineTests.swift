import ComproTestSupport
import Foundation
import KoniTestSupport
import Testing

/// The `koni-compro` executable as an operator runs it.
@Suite struct CommandLineTests {
    static let binary = Repository.binary("koni-compro")

    func run(_ arguments: [String]) throws -> ProcessRun {
        try ProcessRunner.run(Self.binary, arguments, environment: ProcessRunner.cliEnvironment, directory: Fixture.repository)
    }

    @Test
    func buildAllPublishesGoodTenantsAndReportsBadOnes() throws {
        let tenants = try Fixture.copyOfTenants()
        try FileManager.default.copyItem(atPath: "\(tenants)/uji", toPath: "\(tenants)/rusak")
        try "---\ntitle: Rusak\n---\n".write(toFile: "\(tenants)/rusak/content/news/berita-01.md", atomically: true, encoding: .utf8)
        let out = Fixture.temporaryDirectory("cli")
        let result = try run(["build", "--all", "--tenants", tenants, "--out", out])
        #expect(result.status == 1)
        #expect(result.errors.contains("rusak/content/news/berita-01.md"))
        #expect(result.errors.contains("missing required field 'date'"))
        #expect(result.output.contains("built uji:"))
        #expect(result.output.contains("1 of 2 tenants published"))
        #expect(FileManager.default.fileExists(atPath: "\(out)/uji/current/index.html"))
        #expect(!FileManager.default.fileExists(atPath: "\(out)/rusak/current"))
    }

    @Test
    func helpDocumentsEveryCommand() throws {
        let help = try run(["--help"]).output
        for command in ["build", "theme", "rollback"] { #expect(help.contains(command)) }
        let build = try run(["build", "--help"]).output
        for option in ["--all", "--tenants", "--out", "--keep", "--now"] { #expect(build.contains(option)) }
    }

    @Test
    func badArgumentsAreRefusedClearly() throws {
        let result = try run(["build"])
        #expect(result.status != 0)
        #expect(result.errors.contains("Name tenant slugs or pass --all"))
        let unknown = try run(["build", "tidak-ada", "--tenants", Fixture.tenants, "--out", Fixture.temporaryDirectory()])
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("no such tenant"))
    }

    @Test
    func themeValidateReportsContrast() throws {
        let good = try run(["theme", "validate"])
        #expect(good.status == 0, "\(good.output)")
        let file = Fixture.temporaryDirectory() + "/pucat.yml"
        try "name: Pucat\nextends: merah-putih\nproperties:\n  color-text: \"#dddddd\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try run(["theme", "validate", file])
        #expect(bad.status == 1)
        #expect(bad.output.contains("color-text on color-background"))
        #expect(bad.output.contains("below WCAG AA"))
    }
}
