import ComproBuild
import ComproTestSupport
import Foundation
import KoniTestSupport

extension Fixture {
    /// A designer's candidate: biru-samudra with another primary colour.
    static func candidateTheme(primary: String = "#123456") throws -> String {
        let file = temporaryDirectory("theme") + "/kandidat.yml"
        try "name: Kandidat\ndescription: test\nextends: biru-samudra\nproperties:\n  color-primary: \"\(primary)\"\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The `koni-compro` executable, run in `directory`.
    static func cli(_ arguments: [String], in directory: String = repository) throws -> ProcessRun {
        try ProcessRunner.run(Repository.binary("koni-compro"), arguments, environment: ProcessRunner.cliEnvironment, directory: directory)
    }
}
