import ArgumentParser
import ComproBuild
import ComproModel
import ComproOnboarding
import Foundation

struct TenantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Add branches.",
        subcommands: [New.self]
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a branch: tenant folder with starter content, published site, Nginx server block.",
            discussion: """
                Checks the slug (lowercase a-z, 0-9 and single hyphens, at most 63 characters, not taken), the \
                name, the domains (not served by another tenant) and the theme; writes tenants/<slug>/ (tenant.yml, \
                a home page with sections, a profile page, a welcome news item, a logo), publishes the site to \
                <out>/<slug>/current and renders its Nginx server block (into --nginx-out when given). Everything \
                is prepared aside and moved into place at the end: on any error nothing is left behind. Then \
                prints what to do next (DNS, certificate, reload).
                """
        )

        @Argument(help: "The new tenant's slug, e.g. kab-malang (its site is <slug>.koni.id).")
        var slug: String

        @Option(name: .long, help: ArgumentHelp("The branch's full name, e.g. \"KONI Kabupaten Malang\".", valueName: "text"))
        var name: String

        @Option(name: .long, help: ArgumentHelp("A custom domain beside <slug>.koni.id (repeatable).", valueName: "host"))
        var domain: [String] = []

        @Option(name: .long, help: ArgumentHelp("Theme preset.", valueName: "name"))
        var theme = ThemeSelection.defaultPreset

        @OptionGroup var location: SiteLocationOptions

        @Option(name: .long, help: ArgumentHelp("Output folder the site is published to.", valueName: "dir"))
        var out = "public"

        @Option(
            name: .long, help: ArgumentHelp("Write <slug>.conf (and _default.conf if missing) into this folder, e.g. /etc/nginx/sites-koni.", valueName: "dir"))
        var nginxOut: String?

        @OptionGroup var nginx: NginxOptions

        @Option(name: .long, help: ArgumentHelp("Treat this moment as now (the welcome news item's date); default now, or $KONI_NOW.", valueName: "time"))
        var now: String?

        func run() throws {
            let environment = BuildEnvironment(
                tenantsDirectory: location.tenants, templatesDirectory: location.templates, themesDirectory: location.themes,
                outputDirectory: out, now: try parseNow(now)
            )
            let onboarding = TenantOnboarding(
                environment: environment, nginxConfigDirectory: nginx.nginxConfig, nginxSettings: nginx.settings(defaultSites: out),
                nginxOutputDirectory: nginxOut
            )
            let request = TenantRequest(slug: slug, name: name, domains: domain, theme: theme)
            let result: TenantOnboarding.Result
            do {
                result = try onboarding.create(request)
            } catch {
                throw CLIFailure("tenant \(slug) was not created; nothing was changed:\n" + indent(error.description))
            }
            for warning in result.build.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            warnAboutMissingCertificates([TenantConfig(slug: slug, name: name, domains: result.domains)], onboarding.nginxSettings)
            print("created \(result.tenantDirectory)/ (tenant.yml, home and profile pages, welcome news, logo)")
            print("published \(out)/\(slug)/current: \(result.build.pages) pages (release \(result.build.release))")
            if result.nginxFiles.isEmpty {
                print("\nNginx server block (koni-compro nginx render \(slug) --out DIR writes it):\n")
                print(result.nginxConfig)
            } else {
                for file in result.nginxFiles { print("wrote \(file)") }
            }
            print("")
            print(onboarding.nextSteps(for: result))
        }
    }
}
