import ComproBuild
import ComproModel
import ComproNginx
import ComproOnboarding
import ComproTestSupport
import Foundation
import KoniTestSupport

extension Fixture {
    /// A workspace with a copy of the fixture tenants (`uji`, which also answers to
    /// www.koni-uji.id), an empty output folder and an empty Nginx folder.
    struct Workspace {
        var root: String
        var tenants: String { "\(root)/tenants" }
        var out: String { "\(root)/public" }
        var nginx: String { "\(root)/sites-koni" }

        init() throws {
            root = Fixture.temporaryDirectory("onboarding")
            try FileManager.default.copyItem(atPath: Fixture.tenants, toPath: "\(root)/tenants")
            try FileManager.default.createDirectory(atPath: "\(root)/public", withIntermediateDirectories: true)
        }

        func onboarding(out: String? = nil, nginx: String? = nil, themes: String? = nil) -> TenantOnboarding {
            let environment = BuildEnvironment(
                tenantsDirectory: tenants, templatesDirectory: "\(Fixture.repository)/Templates",
                themesDirectory: themes ?? "\(Fixture.repository)/Themes", outputDirectory: out ?? self.out,
                now: Fixture.now
            )
            return TenantOnboarding(
                environment: environment, nginxConfigDirectory: "\(Fixture.repository)/nginx",
                nginxSettings: NginxSettings(sitesDirectory: out ?? self.out), nginxOutputDirectory: nginx ?? self.nginx
            )
        }

        /// Every path under the workspace, hidden ones included, to compare before and after.
        func snapshot() -> [String] {
            (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).sorted()
        }
    }
}

extension Fixture {
    /// The `koni-compro` executable, run in `directory`.
    static func cli(_ arguments: [String], in directory: String) throws -> ProcessRun {
        try ProcessRunner.run(Repository.binary("koni-compro"), arguments, environment: ProcessRunner.cliEnvironment, directory: directory)
    }
}
