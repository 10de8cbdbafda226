import ComproBuild
import ComproModel
import ComproNginx
import ComproOnboarding
@testable import ComproProvision
import Foundation
import KoniTestSupport
import Testing

/// A provisioning step that fails (here: Nginx refuses the reload) leaves the branch's files as
/// they were, so the next reload of Nginx, for any branch, does not trip over them.
@Suite struct ProvisioningRollbackTests {
    struct Server {
        let root = TemporaryFolders.make("provision-rollback")
        var tenants: String { "\(root)/tenants" }
        var sites: String { "\(root)/public" }
        var nginx: String { "\(root)/sites-koni" }

        func provisioner(reload: [String]) throws -> TenantProvisioner {
            let environment = BuildEnvironment(
                tenantsDirectory: tenants, templatesDirectory: Repository.templates, themesDirectory: Repository.themes, outputDirectory: sites,
                now: SiteDate.parse("2026-12-05T10:00:00+07:00", defaultOffsetSeconds: 0)!
            )
            let onboarding = TenantOnboarding(
                environment: environment, nginxConfigDirectory: "\(Repository.root)/nginx", nginxSettings: NginxSettings(sitesDirectory: sites),
                nginxOutputDirectory: nginx
            )
            return try TenantProvisioner(onboarding: onboarding, reloadCommand: reload)
        }

        func text(_ path: String) -> String? { try? String(contentsOfFile: "\(root)/\(path)", encoding: .utf8) }
        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: "\(root)/\(path)") }
    }

    static let refusingReload = ["/bin/sh", "-c", "echo 'nginx: [emerg] unexpected end of file' >&2; exit 1"]

    static func change(name: String = "KONI Kabupaten Uji", status: TenantChange.Status = .active, version: Int) -> TenantChange {
        TenantChange(slug: "kab-uji", name: name, domains: ["kab-uji.koni.id"], status: status, themePreset: "merah-putih", version: version)
    }

    @Test func aNewBranchWhoseReloadFailsLeavesNothingBehind() throws {
        let server = Server()
        let refusing = try server.provisioner(reload: Self.refusingReload)
        do throws(ProvisionError) {
            _ = try refusing.apply(Self.change(version: 1))
            Issue.record("a failed reload was taken for success")
        } catch {
            #expect(error.step == "reload Nginx" && error.reason.contains("unexpected end of file") && error.reason.contains("as they were"), "\(error)")
        }
        #expect(!server.exists("tenants/kab-uji") && !server.exists("public/kab-uji"))
        #expect(!server.exists("sites-koni/kab-uji.conf") && !server.exists("sites-koni/\(NginxRenderer.defaultFileName)"))
        // Retried once Nginx is well again, the event provisions the branch.
        #expect(try server.provisioner(reload: ["/bin/true"]).apply(Self.change(version: 1)) == .created)
        #expect(server.exists("tenants/kab-uji/tenant.yml") && server.exists("sites-koni/kab-uji.conf"))
    }

    @Test func aSuspensionWhoseReloadFailsKeepsTheSiteAndItsSettings() throws {
        let server = Server()
        #expect(try server.provisioner(reload: ["/bin/true"]).apply(Self.change(version: 1)) == .created)
        let settings = try #require(server.text("tenants/kab-uji/tenant.yml"))
        let block = try #require(server.text("sites-koni/kab-uji.conf"))
        let refusing = try server.provisioner(reload: Self.refusingReload)
        do throws(ProvisionError) {
            _ = try refusing.apply(Self.change(name: "KONI Kabupaten Uji Baru", status: .suspended, version: 2))
            Issue.record("a failed reload was taken for success")
        } catch {
            #expect(error.step == "reload Nginx", "\(error)")
        }
        #expect(server.text("tenants/kab-uji/tenant.yml") == settings)
        #expect(server.text("sites-koni/kab-uji.conf") == block)
        #expect(server.exists("tenants/kab-uji") && server.exists("public/kab-uji"))
        // The retry applies it.
        #expect(
            try server.provisioner(reload: ["/bin/true"]).apply(Self.change(name: "KONI Kabupaten Uji Baru", status: .suspended, version: 2))
                == .settingsChanged)
        #expect(server.text("sites-koni/kab-uji.conf") != block && server.text("tenants/kab-uji/tenant.yml")?.contains("KONI Kabupaten Uji Baru") == true)
    }

    /// Events arrive more than once and out of order: a repeated event changes nothing, an older
    /// one than the last applied is ignored, naming the version it lost to.
    @Test func aRepeatedEventChangesNothingAndAnOlderOneIsIgnored() throws {
        let server = Server()
        let provisioner = try server.provisioner(reload: ["/bin/true"])
        #expect(try provisioner.apply(Self.change(version: 1)) == .created)
        let settings = try #require(server.text("tenants/kab-uji/tenant.yml"))
        let block = try #require(server.text("sites-koni/kab-uji.conf"))
        #expect(try provisioner.apply(Self.change(version: 1)) == .unchanged)
        #expect(server.text("tenants/kab-uji/tenant.yml") == settings && server.text("sites-koni/kab-uji.conf") == block)

        #expect(try provisioner.apply(Self.change(status: .suspended, version: 3)) == .serverBlockWritten(maintenance: true))
        let suspended = try #require(server.text("sites-koni/kab-uji.conf"))
        #expect(suspended != block)
        // Version 2 (active, a new name) was sent before 3 but arrives after it.
        #expect(try provisioner.apply(Self.change(name: "KONI Kabupaten Lama", version: 2)) == .stale(applied: 3))
        #expect(server.text("sites-koni/kab-uji.conf") == suspended && server.text("tenants/kab-uji/tenant.yml") == settings)
        #expect(server.text("sites-koni/.kab-uji.version") == "3\n")
    }
}
