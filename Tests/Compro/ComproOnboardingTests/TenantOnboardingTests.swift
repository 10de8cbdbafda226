import ComproBuild
import ComproContent
import ComproModel
import ComproOnboarding
import ComproTestSupport
import Foundation
import Testing

@Suite struct TenantOnboardingTests {
    @Test
    func createsABuildableTenantWithSiteAndServerBlock() throws {
        let workspace = try Fixture.Workspace()
        let onboarding = workspace.onboarding()
        let request = TenantRequest(slug: "kab-malang", name: "KONI Kabupaten Malang", domains: ["konimalang.id"], theme: "hijau-priangan")
        let result = try onboarding.create(request)

        let folder = "\(workspace.tenants)/kab-malang"
        for file in ["tenant.yml", "content/pages/index.md", "content/pages/profil.md", "content/news/selamat-datang.md", "static/images/logo.svg"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(file)"), "\(file)")
        }
        // The folder is a normal tenant: it loads and builds again.
        let source = LocalContentSource(tenantsDirectory: workspace.tenants)
        let config = try source.loadConfig("kab-malang")
        #expect(config.name == "KONI Kabupaten Malang")
        #expect(config.domains == ["kab-malang.koni.id", "konimalang.id"])
        #expect(config.theme.preset == "hijau-priangan")
        let content = try source.load("kab-malang")
        #expect(content.staticFiles.map(\.path) == ["images/logo.svg"])
        let builder = SiteBuilder(environment: onboarding.environment)
        let rebuilt = try builder.build(slug: "kab-malang")
        #expect(rebuilt.pages == result.build.pages)

        // Published: home with the hero, profile page, welcome news, logo.
        let current = "\(workspace.out)/kab-malang/current"
        let home = try String(contentsOfFile: "\(current)/index.html", encoding: .utf8)
        #expect(home.contains("Selamat datang di situs KONI Kabupaten Malang"))
        #expect(home.contains("/berita/selamat-datang/"), "the welcome item is listed on the home page")
        #expect(FileManager.default.fileExists(atPath: "\(current)/profil/index.html"))
        #expect(FileManager.default.fileExists(atPath: "\(current)/berita/selamat-datang/index.html"))
        #expect(FileManager.default.fileExists(atPath: "\(current)/images/logo.svg"))
        let news = try String(contentsOfFile: "\(current)/berita/selamat-datang/index.html", encoding: .utf8)
        #expect(news.contains("25 November 2026"), "dated today in WIB")

        // Nginx: the tenant's block and the catch-all default server.
        let block = try String(contentsOfFile: "\(workspace.nginx)/kab-malang.conf", encoding: .utf8)
        #expect(block.contains("server_name kab-malang.koni.id konimalang.id;"))
        #expect(block.contains("root \(workspace.out)/kab-malang/current;"))
        #expect(FileManager.default.fileExists(atPath: "\(workspace.nginx)/_default.conf"))
        #expect(result.nginxFiles == ["\(workspace.nginx)/kab-malang.conf", "\(workspace.nginx)/_default.conf"])

        let steps = onboarding.nextSteps(for: result)
        #expect(steps.contains("kab-malang.koni.id.  A  <server IP>"))
        #expect(steps.contains("certbot certonly --webroot -w /var/www/certbot --cert-name kab-malang.koni.id -d kab-malang.koni.id -d konimalang.id"))
        #expect(steps.contains("nginx -t && nginx -s reload"))

        // Nothing staged is left behind.
        #expect(!workspace.snapshot().contains { $0.split(separator: "/").contains { $0.hasPrefix(".onboarding") || $0.contains(".onboarding-") } })

        // A second tenant does not rewrite the existing default server.
        let defaultBefore = try Data(contentsOf: URL(fileURLWithPath: "\(workspace.nginx)/_default.conf"))
        let second = try onboarding.create(TenantRequest(slug: "kota-batu", name: "KONI Kota Batu"))
        #expect(second.nginxFiles == ["\(workspace.nginx)/kota-batu.conf"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(workspace.nginx)/_default.conf")) == defaultBefore)
    }

    @Test(arguments: [
        (TenantRequest(slug: "Kab-Malang", name: "KONI Kabupaten Malang"), "slug: slug 'Kab-Malang' is not allowed"),
        (TenantRequest(slug: "kab_malang", name: "KONI Kabupaten Malang"), "slug: slug 'kab_malang' is not allowed"),
        (TenantRequest(slug: "../etc", name: "KONI Kabupaten Malang"), "slug: slug '../etc' is not allowed"),
        (TenantRequest(slug: "-malang", name: "KONI Kabupaten Malang"), "is not allowed"),
        (TenantRequest(slug: "", name: "KONI Kabupaten Malang"), "slug: slug is empty"),
        (TenantRequest(slug: String(repeating: "a", count: 64), name: "KONI"), "longer than 63 characters"),
        (TenantRequest(slug: "uji", name: "KONI Kota Uji Lagi"), "slug: 'uji' is taken"),
        (TenantRequest(slug: "kab-malang", name: ""), "--name: the name is empty"),
        (TenantRequest(slug: "kab-malang", name: "  KONI"), "--name: the name starts or ends with spaces"),
        (TenantRequest(slug: "kab-malang", name: "KONI\nname: x"), "--name: the name contains a control character"),
        (TenantRequest(slug: "kab-malang", name: "KONI \"Malang\""), "--name: the name contains '\"'"),
        (TenantRequest(slug: "kab-malang", name: String(repeating: "K", count: 101)), "longer than 100 characters"),
        (TenantRequest(slug: "kab-malang", name: "KONI Malang", domains: ["bad_domain.id"]), "--domain: 'bad_domain.id' is not a host name"),
        (TenantRequest(slug: "kab-malang", name: "KONI Malang", domains: ["KONIMALANG.ID"]), "must be written in lowercase"),
        (TenantRequest(slug: "kab-malang", name: "KONI Malang", domains: ["malang.id; return 200"]), "is not a host name"),
        (TenantRequest(slug: "kab-malang", name: "KONI Malang", domains: ["www.koni-uji.id"]), "--domain: 'www.koni-uji.id' is already served by tenant 'uji'"),
        (TenantRequest(slug: "kab-malang", name: "KONI Malang", domains: ["uji.koni.id"]), "already served by tenant 'uji'"),
        (TenantRequest(slug: "kab-malang", name: "KONI Malang", theme: "tidak-ada"), "--theme: unknown theme preset 'tidak-ada'; available: biru-samudra"),
        (TenantRequest(slug: "kab-malang", name: "KONI Malang", theme: "../Templates/x"), "--theme: '../Templates/x' is not a theme preset name"),
    ])
    func validationErrorsChangeNothing(request: TenantRequest, message: String) throws {
        let workspace = try Fixture.Workspace()
        let before = workspace.snapshot()
        do {
            _ = try workspace.onboarding().create(request)
            Issue.record("\(request) was accepted")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
            if case .invalid = error {} else { Issue.record("expected a validation error: \(error)") }
        }
        #expect(workspace.snapshot() == before)
    }

    @Test
    func everyProblemIsReportedAtOnce() throws {
        let workspace = try Fixture.Workspace()
        do {
            _ = try workspace.onboarding().create(TenantRequest(slug: "Bad", name: "", domains: ["x"], theme: "nope"))
            Issue.record("accepted")
        } catch {
            let text = error.description
            #expect(text.contains("slug:") && text.contains("--name:") && text.contains("--domain:") && text.contains("--theme:"), "\(text)")
        }
    }

    @Test
    func aSlugWhosePublishedFolderOrServerBlockExistsIsTaken() throws {
        let workspace = try Fixture.Workspace()
        try FileManager.default.createDirectory(atPath: "\(workspace.out)/yatim", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: workspace.nginx, withIntermediateDirectories: true)
        try "".write(toFile: "\(workspace.nginx)/piatu.conf", atomically: true, encoding: .utf8)
        #expect(throws: OnboardingError.self) { try workspace.onboarding().create(TenantRequest(slug: "yatim", name: "KONI Yatim")) }
        #expect(throws: OnboardingError.self) { try workspace.onboarding().create(TenantRequest(slug: "piatu", name: "KONI Piatu")) }
        #expect(!FileManager.default.fileExists(atPath: "\(workspace.tenants)/yatim"))
        #expect(!FileManager.default.fileExists(atPath: "\(workspace.tenants)/piatu"))
    }

    /// Failures after files were staged: the output cannot be written (a file stands where a
    /// folder must be), or the Nginx folder cannot. Nothing may be left anywhere.
    @Test
    func aFailureAfterStagingLeavesNothingBehind() throws {
        let workspace = try Fixture.Workspace()
        try "not a folder".write(toFile: "\(workspace.root)/blocker", atomically: true, encoding: .utf8)
        let before = workspace.snapshot()

        let unwritableOutput = workspace.onboarding(out: "\(workspace.root)/blocker/public")
        do {
            _ = try unwritableOutput.create(TenantRequest(slug: "kab-malang", name: "KONI Kabupaten Malang"))
            Issue.record("published into a file")
        } catch {
            #expect(error.description.contains("could not build the site"), "\(error)")
        }
        #expect(workspace.snapshot() == before)

        let unwritableNginx = workspace.onboarding(nginx: "\(workspace.root)/blocker/sites-koni")
        do {
            _ = try unwritableNginx.create(TenantRequest(slug: "kab-malang", name: "KONI Kabupaten Malang"))
            Issue.record("wrote Nginx files into a file")
        } catch {
            #expect(error.description.contains("could not write the Nginx server block"), "\(error)")
        }
        #expect(workspace.snapshot() == before, "the published site was not moved into place either")

        // A template error is found after the build too.
        let brokenNginx = TenantOnboarding(
            environment: unwritableNginx.environment, nginxConfigDirectory: "\(workspace.root)/no-nginx-here",
            nginxSettings: unwritableNginx.nginxSettings, nginxOutputDirectory: workspace.nginx
        )
        #expect(throws: OnboardingError.self) { try brokenNginx.create(TenantRequest(slug: "kab-malang", name: "KONI Kabupaten Malang")) }
        #expect(workspace.snapshot() == before)
    }

    @Test
    func namesAreWrittenSafely() throws {
        let workspace = try Fixture.Workspace()
        let name = "KONI Kab. Tana Toraja & Sekitarnya (Sul-Sel) ‘Toraja’ / 2026"
        _ = try workspace.onboarding().create(TenantRequest(slug: "toraja", name: name))
        let config = try LocalContentSource(tenantsDirectory: workspace.tenants).loadConfig("toraja")
        #expect(config.name == name)
        let profile = try String(contentsOfFile: "\(workspace.out)/toraja/current/profil/index.html", encoding: .utf8)
        #expect(profile.contains("KONI Kab. Tana Toraja &amp; Sekitarnya (Sul-Sel) ‘Toraja’ / 2026 mengoordinasikan"))
    }
}

extension TenantRequest: CustomTestStringConvertible {
    public var testDescription: String { "\(slug) \(name) \(domains) \(theme)" }
}
