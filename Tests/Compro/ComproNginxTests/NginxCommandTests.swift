import Foundation
import KoniTestSupport
import Testing

/// `koni-compro nginx render` as an operator runs it.
@Suite struct NginxCommandTests {
    func cli(_ arguments: [String]) throws -> ProcessRun {
        try ProcessRunner.run(Repository.binary("koni-compro"), arguments, environment: nil, directory: Paths.repository)
    }

    @Test
    func renderAllWritesOneBlockPerTenantAndTheDefaultServer() throws {
        let out = Paths.temporaryDirectory("sites-koni")
        let run = try cli(["nginx", "render", "--all", "--out", out, "--listen", "127.0.0.1:8080", "--sites", "/srv/koni/public"])
        #expect(run.status == 0, "\(run.errors)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        let tenants = try FileManager.default.contentsOfDirectory(atPath: Paths.demoTenants)
            .filter { FileManager.default.fileExists(atPath: "\(Paths.demoTenants)/\($0)/tenant.yml") }
        #expect(files == (["_default.conf"] + tenants.map { "\($0).conf" }).sorted())
        let jatim = try String(contentsOfFile: "\(out)/jatim.conf", encoding: .utf8)
        #expect(jatim.contains("server_name jatim.koni.id;"))
        #expect(jatim.contains("root /srv/koni/public/jatim/current;"))
        #expect(jatim.contains("listen 127.0.0.1:8080;"))
        #expect(run.output.contains("nginx -t && nginx -s reload"))
    }

    @Test
    func printsWithoutOutAndRefusesBadOptions() throws {
        let printed = try cli(["nginx", "render", "jabar", "--sites", "/srv/koni/public"])
        #expect(printed.status == 0)
        #expect(printed.output.contains("server_name jabar.koni.id;"))
        #expect(printed.output.contains("default_server"))

        let badListen = try cli(["nginx", "render", "jabar", "--listen", "80;include /etc/passwd"])
        #expect(badListen.status == 1)
        #expect(badListen.errors.contains("--listen: '80;include /etc/passwd' is not a port or address:port"))
        let unknown = try cli(["nginx", "render", "tidak-ada"])
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("no such tenant"))
        let neither = try cli(["nginx", "render"])
        #expect(neither.status != 0)
        #expect(neither.errors.contains("Name tenant slugs or pass --all"))
    }
}
