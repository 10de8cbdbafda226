import ComproBuild
import ComproContent
import ComproModel
import ComproNginx
import ComproPublish
import ComproTheme
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Creates a new branch in one step: validates the request, writes the tenant folder with
/// starter content, builds and publishes its site and renders its Nginx server block.
///
/// Everything is prepared in hidden staging folders beside the final places (so that the
/// final moves are rename(2) calls on one file system) and moved into place only when every
/// step has succeeded; a failure at any point removes what was staged and leaves the tenants
/// folder, the published output and the Nginx folder exactly as they were.
package struct TenantOnboarding: Sendable {
    /// Where tenants live (`tenantsDirectory`), where sites are published (`outputDirectory`),
    /// the templates and themes, and "today" for the welcome news item.
    package var environment: BuildEnvironment
    /// The repository's `nginx/` folder (templates).
    package var nginxConfigDirectory: String
    package var nginxSettings: NginxSettings
    /// Where to write `<slug>.conf` (e.g. `/etc/nginx/sites-koni`); nil: only render it.
    package var nginxOutputDirectory: String?

    package init(environment: BuildEnvironment, nginxConfigDirectory: String, nginxSettings: NginxSettings, nginxOutputDirectory: String? = nil) {
        self.environment = environment
        self.nginxConfigDirectory = nginxConfigDirectory
        self.nginxSettings = nginxSettings
        self.nginxOutputDirectory = nginxOutputDirectory
    }

    /// What was created.
    package struct Result: Sendable {
        package var slug: String
        package var tenantDirectory: String
        package var build: BuildReport
        /// The rendered server block.
        package var nginxConfig: String
        /// Files written into ``TenantOnboarding/nginxOutputDirectory``.
        package var nginxFiles: [String]
        package var domains: [String]
    }

    /// Checks the request against the folders without changing anything.
    package func validate(_ request: TenantRequest) throws(OnboardingError) -> Theme {
        var problems: [String] = []
        let slug = request.slug
        if let problem = Slug.problem(with: slug) {
            problems.append("slug: \(problem)")
        } else if slug.utf8.count > TenantRequest.maximumSlugLength {
            problems.append("slug: '\(slug)' is longer than \(TenantRequest.maximumSlugLength) characters, the limit of a DNS label (\(slug).koni.id)")
        } else {
            let source = LocalContentSource(tenantsDirectory: environment.tenantsDirectory)
            if FileManager.default.fileExists(atPath: source.tenantDirectory(slug)) {
                problems.append("slug: '\(slug)' is taken: \(source.tenantDirectory(slug)) exists")
            }
            let published = Publisher(outputDirectory: environment.outputDirectory).tenantDirectory(slug)
            if FileManager.default.fileExists(atPath: published) {
                problems.append("slug: '\(slug)' is taken: \(published) exists (a published site without a tenant folder; remove it or pick another slug)")
            }
            if let directory = nginxOutputDirectory, FileManager.default.fileExists(atPath: "\(directory)/\(slug).conf") {
                problems.append("slug: '\(slug)' is taken: \(directory)/\(slug).conf exists")
            }
        }
        if let problem = TenantRequest.nameProblem(request.name) { problems.append("--name: \(problem)") }
        for domain in request.domains {
            if let problem = HostName.problem(with: domain) { problems.append("--domain: \(problem)") }
        }
        // Only well-formed names can be compared with the names other tenants serve.
        let names = request.allDomains.filter { HostName.isValid($0) && ($0 != "\(slug).koni.id" || Slug.isValid(slug)) }
        problems += claimedDomainProblems(names)
        var theme: Theme?
        do {
            theme = try ThemeCatalog(directory: environment.themesDirectory).preset(request.theme)
        } catch {
            problems += error.errors.map { "--theme: \($0.reason)" }
        }
        do {
            try nginxSettings.validate()
        } catch {
            problems += error.errors.map(\.description)
        }
        guard problems.isEmpty, let theme else { throw .invalid(problems) }
        return theme
    }

    /// Those of `names` that another tenant already answers to.
    private func claimedDomainProblems(_ names: [String]) -> [String] {
        let source = LocalContentSource(tenantsDirectory: environment.tenantsDirectory)
        let slugs: [String]
        do { slugs = try source.tenantSlugs() } catch {
            // No tenants folder yet: the first branch of a new installation.
            return FileManager.default.fileExists(atPath: environment.tenantsDirectory)
                ? ["--tenants: cannot list \(environment.tenantsDirectory): \(error.localizedDescription)"] : []
        }
        var problems: [String] = []
        for slug in slugs {
            let config: TenantConfig
            do { config = try source.loadConfig(slug) } catch {
                problems.append("cannot check which domains are taken, \(error.errors.first?.description ?? slug); fix that tenant first")
                continue
            }
            let claimed = Set(NginxRenderer.serverNames(for: config))
            for domain in names where claimed.contains(domain) {
                problems.append("--domain: '\(domain)' is already served by tenant '\(slug)'")
            }
        }
        return problems
    }

    /// Creates the tenant; on any error nothing is left behind.
    package func create(_ request: TenantRequest) throws(OnboardingError) -> Result {
        let theme = try validate(request)
        let slug = request.slug
        let token = "\(slug)-\(UUID().uuidString.prefix(8).lowercased())"
        let fileManager = FileManager.default
        let tenantsRoot = environment.tenantsDirectory
        let stagingTenants = "\(tenantsRoot)/.onboarding-\(token)"
        let stagingOutput = "\(environment.outputDirectory)/.onboarding-\(token)"
        var cleanup = Cleanup()
        defer { cleanup.run() }

        // 1. The tenant folder, in a hidden staging folder beside the real ones.
        do {
            try fileManager.createDirectory(atPath: tenantsRoot, withIntermediateDirectories: true)
        } catch {
            throw .failed(step: "create \(tenantsRoot)", reason: error.localizedDescription)
        }
        cleanup.remove(stagingTenants)
        let starter = StarterContent(request: request, theme: theme, today: Self.day(environment.now))
        for file in starter.files {
            let path = "\(stagingTenants)/\(slug)/\(file.path)"
            do {
                try fileManager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(file.text.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw .failed(step: "write the starter files", reason: "\(path): \(error.localizedDescription)")
            }
        }

        // 2. Build and publish from the staging folder into a staging output folder.
        var buildEnvironment = environment
        buildEnvironment.tenantsDirectory = stagingTenants
        buildEnvironment.outputDirectory = stagingOutput
        cleanup.remove(stagingOutput)
        let report: BuildReport
        do {
            report = try SiteBuilder(environment: buildEnvironment).build(slug: slug)
        } catch {
            throw .failed(step: "build the site", reason: error.description)
        }

        // 3. The Nginx server block (and the catch-all server if the folder has none yet:
        //    without it Nginx would answer unknown hosts with the first branch's site).
        var nginxFiles: [(name: String, text: String)] = []
        let config: String
        do {
            let tenant = try LocalContentSource(tenantsDirectory: stagingTenants).loadConfig(slug)
            let renderer = try NginxRenderer(configDirectory: nginxConfigDirectory)
            config = try renderer.serverBlock(for: tenant, settings: nginxSettings)
            nginxFiles.append(("\(slug).conf", config))
            if let directory = nginxOutputDirectory, !fileManager.fileExists(atPath: "\(directory)/\(NginxRenderer.defaultFileName)") {
                nginxFiles.append((NginxRenderer.defaultFileName, try renderer.defaultServer(settings: nginxSettings)))
            }
        } catch let error as NginxConfigErrors {
            throw .failed(step: "render the Nginx server block", reason: error.description)
        } catch let error as ContentErrors {
            throw .failed(step: "read the new tenant.yml", reason: error.description)
        } catch {
            throw .failed(step: "render the Nginx server block", reason: "\(error)")
        }
        var stagedNginx: [(temporary: String, final: String)] = []
        if let directory = nginxOutputDirectory {
            do {
                try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .failed(step: "write the Nginx server block", reason: "\(directory): \(error.localizedDescription)")
            }
            for file in nginxFiles {
                let temporary = "\(directory)/.\(file.name).onboarding-\(token)"
                cleanup.remove(temporary)
                guard fileManager.createFile(atPath: temporary, contents: Data(file.text.utf8)) else {
                    throw .failed(step: "write the Nginx server block", reason: "\(temporary): \(String(cString: strerror(errno)))")
                }
                stagedNginx.append((temporary, "\(directory)/\(file.name)"))
            }
        }

        // 4. Move everything into place; undo the moves already made if one fails.
        var moved: [(from: String, to: String)] = []
        func move(_ from: String, _ to: String) throws(OnboardingError) {
            if fileManager.fileExists(atPath: to) {
                throw .failed(step: "move \(to) into place", reason: "it appeared while the tenant was being created")
            }
            guard rename(from, to) == 0 else {
                throw .failed(step: "move \(to) into place", reason: String(cString: strerror(errno)))
            }
            moved.append((from, to))
        }
        do throws(OnboardingError) {
            try move("\(stagingOutput)/\(slug)", Publisher(outputDirectory: environment.outputDirectory).tenantDirectory(slug))
            for file in stagedNginx { try move(file.temporary, file.final) }
            try move("\(stagingTenants)/\(slug)", LocalContentSource(tenantsDirectory: tenantsRoot).tenantDirectory(slug))
        } catch {
            for step in moved.reversed() { rename(step.to, step.from) }
            throw error
        }
        return Result(
            slug: slug, tenantDirectory: LocalContentSource(tenantsDirectory: tenantsRoot).tenantDirectory(slug), build: report,
            nginxConfig: config, nginxFiles: stagedNginx.map(\.final),
            domains: NginxRenderer.serverNames(for: TenantConfig(slug: slug, name: request.name, domains: request.allDomains))
        )
    }

    /// What the operator does next, as shell lines with comments.
    package func nextSteps(for result: Result, serverAddress: String = "<server IP>") -> String {
        let domains = result.domains
        let certbotDomains = domains.map { "-d \($0)" }.joined(separator: " ")
        let confLine =
            result.nginxFiles.isEmpty
            ? "koni-compro nginx render \(result.slug) --out /etc/nginx/sites-koni"
            : "# written: \(result.nginxFiles.joined(separator: ", "))"
        return """
            Next steps for \(result.slug):
              1. DNS: point the names at this server (A record; AAAA for IPv6):
                   \(domains.map { "\($0).  A  \(serverAddress)" }.joined(separator: "\n       "))
              2. Serve it over HTTP and check the site:
                   \(confLine)
                   nginx -t && nginx -s reload
                   curl -I http://\(domains[0])/
              3. Certificate (Let's Encrypt, answered from the webroot the server block serves):
                   certbot certonly --webroot -w \(nginxSettings.acmeRoot) --cert-name \(domains[0]) \(certbotDomains)
              4. Switch to HTTPS:
                   koni-compro nginx render \(result.slug) --tls --out /etc/nginx/sites-koni
                   nginx -t && nginx -s reload
              5. Commit tenants/\(result.slug)/ and hand the branch's admin its content folder.
            """
    }

    /// `2026-11-25`, the day of `date` in Western Indonesia (the starter tenant's zone).
    static func day(_ date: SiteDate) -> String {
        let local = SiteDate(epochSeconds: date.epochSeconds, offsetSeconds: SiteTimeZone.jakarta.offsetSeconds, hasTime: true).local
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(local.year, 4))-\(pad(local.month, 2))-\(pad(local.day, 2))"
    }
}

/// Paths to remove when onboarding ends, whether it succeeded or not (staging leftovers).
private struct Cleanup {
    private var paths: [String] = []

    mutating func remove(_ path: String) { paths.append(path) }

    func run() {
        for path in paths.reversed() { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// Why a tenant was not created; nothing was left behind.
package enum OnboardingError: Error, Sendable, CustomStringConvertible {
    /// The request itself is wrong: every problem, one per line.
    case invalid([String])
    /// A step failed after validation.
    case failed(step: String, reason: String)

    package var description: String {
        switch self {
        case .invalid(let problems): problems.joined(separator: "\n")
        case .failed(let step, let reason): "could not \(step): \(reason)"
        }
    }
}
