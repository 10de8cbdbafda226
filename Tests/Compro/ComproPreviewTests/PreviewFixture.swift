import ComproBuild
import ComproModel
import Foundation
import KoniTestSupport

enum PreviewFixture {
    static let repository = Repository.root
    static let fixtureTenants = Repository.fixtureTenants
    static let now = SiteDate.parse("2026-11-25T10:00:00+07:00", defaultOffsetSeconds: 0)!

    static func temporaryDirectory(_ name: String) -> String {
        TemporaryFolders.make(name)
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

    /// The `koni-compro` executable, run in `directory`.
    static func cli(_ arguments: [String], in directory: String = repository) throws -> ProcessRun {
        try ProcessRunner.run(Repository.binary("koni-compro"), arguments, environment: ProcessRunner.cliEnvironment, directory: directory)
    }
}
