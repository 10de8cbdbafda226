import ComproTestSupport
import Foundation
import Testing

/// `koni-compro tenant new` as an operator runs it.
@Suite struct TenantCommandTests {
    func arguments(_ workspace: Fixture.Workspace) -> [String] {
        [
            "--tenants", workspace.tenants, "--out", workspace.out, "--nginx-out", workspace.nginx,
            "--templates", "\(Fixture.repository)/Templates", "--themes", "\(Fixture.repository)/Themes",
            "--nginx-config", "\(Fixture.repository)/nginx",
        ]
    }

    @Test
    func createsTheTenantAndPrintsTheNextSteps() throws {
        let workspace = try Fixture.Workspace()
        let run = try Fixture.cli(
            ["tenant", "new", "kab-malang", "--name", "KONI Kabupaten Malang", "--domain", "konimalang.id", "--theme", "emas-juara"]
                + arguments(workspace),
            in: workspace.root
        )
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("created \(workspace.tenants)/kab-malang/"))
        #expect(run.output.contains("published \(workspace.out)/kab-malang/current"))
        #expect(run.output.contains("wrote \(workspace.nginx)/kab-malang.conf"))
        #expect(run.output.contains("kab-malang.koni.id.  A  <server IP>"))
        #expect(run.output.contains("certbot certonly --webroot"))
        #expect(run.output.contains("nginx -t && nginx -s reload"))
        #expect(FileManager.default.fileExists(atPath: "\(workspace.out)/kab-malang/current/index.html"))
    }

    @Test
    func refusalsExitWithStatusOneAndChangeNothing() throws {
        let workspace = try Fixture.Workspace()
        let before = workspace.snapshot()
        let taken = try Fixture.cli(["tenant", "new", "uji", "--name", "KONI Uji"] + arguments(workspace), in: workspace.root)
        #expect(taken.status == 1)
        #expect(taken.errors.contains("tenant uji was not created; nothing was changed"))
        #expect(taken.errors.contains("slug: 'uji' is taken"))
        let theme = try Fixture.cli(["tenant", "new", "baru", "--name", "KONI Baru", "--theme", "ungu"] + arguments(workspace), in: workspace.root)
        #expect(theme.status == 1)
        #expect(theme.errors.contains("--theme: unknown theme preset 'ungu'"))
        let missingName = try Fixture.cli(["tenant", "new", "baru"] + arguments(workspace), in: workspace.root)
        #expect(missingName.status != 0)
        #expect(missingName.errors.contains("--name"))
        #expect(workspace.snapshot() == before)
    }
}
