import ComproBuild
import ComproContent
import ComproModel
import ComproNginx
import ComproOnboarding
import ComproPublish
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Provisions branches from the Tenant service's events on the server that hosts them: a new
/// branch gets its tenant folder with starter content, its published site and its Nginx server
/// block (``TenantOnboarding``, all or nothing); a suspended one gets a server block that answers
/// with the maintenance notice; a resumed one gets its site back. Then Nginx is reloaded.
///
/// Every step is idempotent: an event applied twice, or a `tenant.updated` that arrives before
/// its `tenant.created`, leaves the same files. An event older than the last one applied (by the
/// branch's `version`) changes nothing. A failure throws, and the event consumer retries it and
/// dead-letters it in the end, with the live files as they were.
package struct TenantProvisioner: Sendable {
    package var onboarding: TenantOnboarding
    /// Where server blocks are written (`/etc/nginx/sites-koni`); required.
    package var nginxOutputDirectory: String
    /// The command that makes Nginx read them again (`nginx -s reload`), split on spaces and run
    /// without a shell; empty: none (the operator reloads).
    package var reloadCommand: [String]

    package init(onboarding: TenantOnboarding, reloadCommand: [String]) throws(ProvisionError) {
        guard let directory = onboarding.nginxOutputDirectory else { throw ProvisionError(step: "configure", reason: "no folder for the Nginx server blocks") }
        self.onboarding = onboarding
        self.nginxOutputDirectory = directory
        self.reloadCommand = reloadCommand
    }

    /// What one event did.
    package enum Outcome: Sendable, Equatable {
        case created
        /// `tenant.yml` now has the change's name, domains or theme: the site must be regenerated.
        case settingsChanged
        case serverBlockWritten(maintenance: Bool)
        case unchanged
        case stale(applied: Int)
    }

    /// Applies `change`; blocking (file writes, a build, a process), so callers run it off the
    /// cooperative pool.
    package func apply(_ change: TenantChange) throws(ProvisionError) -> Outcome {
        let fileManager = FileManager.default
        let tenantDirectory = LocalContentSource(tenantsDirectory: onboarding.environment.tenantsDirectory).tenantDirectory(change.slug)
        if let applied = appliedVersion(change.slug), applied > change.version { return .stale(applied: applied) }
        let site = Publisher(outputDirectory: onboarding.environment.outputDirectory).tenantDirectory(change.slug)
        let path = "\(nginxOutputDirectory)/\(change.slug).conf"
        let before = FilesBefore(
            tenantYML: try? String(contentsOfFile: "\(tenantDirectory)/tenant.yml", encoding: .utf8),
            serverBlock: try? String(contentsOfFile: path, encoding: .utf8),
            hadTenantDirectory: fileManager.fileExists(atPath: tenantDirectory), site: site, hadSite: fileManager.fileExists(atPath: site),
            hadDefaultServer: fileManager.fileExists(atPath: "\(nginxOutputDirectory)/\(NginxRenderer.defaultFileName)")
        )
        do throws(ProvisionError) {
            return try apply(change, tenantDirectory: tenantDirectory, serverBlockPath: path, before: before)
        } catch {
            // Whatever this event wrote goes, so the branch (and every later reload of Nginx) is as before.
            restore(before, tenantDirectory: tenantDirectory, serverBlockPath: path)
            throw ProvisionError(step: error.step, reason: "\(error.reason) (the branch's files are as they were)")
        }
    }

    /// The files an event may change, as they were before it.
    struct FilesBefore {
        var tenantYML: String?
        var serverBlock: String?
        var hadTenantDirectory: Bool
        /// The branch's published site folder.
        var site: String
        var hadSite: Bool
        var hadDefaultServer: Bool
    }

    private func apply(_ change: TenantChange, tenantDirectory: String, serverBlockPath path: String, before: FilesBefore) throws(ProvisionError) -> Outcome {
        var outcome = Outcome.unchanged
        if before.tenantYML == nil {
            let request = TenantRequest(slug: change.slug, name: change.name, domains: change.customDomains, theme: change.themePreset)
            do { _ = try onboarding.create(request) } catch { throw ProvisionError(step: "create \(change.slug)", reason: error.description) }
            outcome = .created
        }
        // The server block as the change says: the site, or the maintenance notice.
        let source = LocalContentSource(tenantsDirectory: onboarding.environment.tenantsDirectory)
        var config: TenantConfig
        do { config = try source.loadConfig(change.slug) } catch {
            throw ProvisionError(step: "read \(change.slug)/tenant.yml", reason: error.description)
        }
        if config.name != change.name || config.domains != change.domains || config.theme.preset != change.themePreset {
            config = try updateSettings(change, file: "\(tenantDirectory)/tenant.yml")
            if outcome == .unchanged { outcome = .settingsChanged }
        }
        let block: String
        do {
            block = try NginxRenderer(configDirectory: onboarding.nginxConfigDirectory)
                .serverBlock(for: config, settings: onboarding.nginxSettings, maintenance: change.status == .suspended)
        } catch {
            throw ProvisionError(step: "render the server block of \(change.slug)", reason: error.description)
        }
        if (try? String(contentsOfFile: path, encoding: .utf8)) != block {
            try write(block, to: path)
            if outcome == .unchanged { outcome = .serverBlockWritten(maintenance: change.status == .suspended) }
        }
        // Reloaded every time: a reload that failed after the block was written is tried again
        // by the event's retry, and reloading an unchanged configuration costs Nginx nothing.
        try reload()
        try write("\(change.version)\n", to: versionFile(change.slug))
        return outcome
    }

    /// Puts back what `apply` found: a branch created by the failed event is removed (tenant
    /// folder, published site, server block, and the catch-all server if it wrote it); an existing
    /// one gets its `tenant.yml` and server block back. Best effort: a step that fails here is
    /// logged by the caller's error, the rest still runs.
    func restore(_ before: FilesBefore, tenantDirectory: String, serverBlockPath path: String) {
        let fileManager = FileManager.default
        if let text = before.tenantYML {
            if (try? String(contentsOfFile: "\(tenantDirectory)/tenant.yml", encoding: .utf8)) != text { try? write(text, to: "\(tenantDirectory)/tenant.yml") }
        } else {
            if !before.hadTenantDirectory { try? fileManager.removeItem(atPath: tenantDirectory) }
            if !before.hadSite { try? fileManager.removeItem(atPath: before.site) }
            if !before.hadDefaultServer { try? fileManager.removeItem(atPath: "\(nginxOutputDirectory)/\(NginxRenderer.defaultFileName)") }
        }
        if let block = before.serverBlock {
            if (try? String(contentsOfFile: path, encoding: .utf8)) != block { try? write(block, to: path) }
        } else {
            try? fileManager.removeItem(atPath: path)
        }
    }

    /// Writes the change's name, domains and theme preset into `tenant.yml` (only those lines),
    /// checked by reading the result back before it replaces the file.
    func updateSettings(_ change: TenantChange, file: String) throws(ProvisionError) -> TenantConfig {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8), let updated = TenantFileUpdate.apply(change, to: text) else {
            throw ProvisionError(
                step: "update \(change.slug)/tenant.yml",
                reason: "it is not in the shape tenant new writes (name:, a domains: list, theme: with preset:); change it by hand")
        }
        let config: TenantConfig
        do { config = try TenantConfigParser.parse(updated, slug: change.slug, file: file) } catch {
            throw ProvisionError(step: "update \(change.slug)/tenant.yml", reason: "the result does not parse: \(error)")
        }
        guard config.name == change.name, config.domains == change.domains, config.theme.preset == change.themePreset else {
            throw ProvisionError(step: "update \(change.slug)/tenant.yml", reason: "the file's settings are written in a way this update cannot follow")
        }
        try write(updated, to: file)
        return config
    }

    /// Where the last applied version of `slug` is kept (beside the server block, hidden).
    func versionFile(_ slug: String) -> String { "\(nginxOutputDirectory)/.\(slug).version" }

    func appliedVersion(_ slug: String) -> Int? {
        guard let text = try? String(contentsOfFile: versionFile(slug), encoding: .utf8), text.utf8.count <= 12 else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Writes `text` beside `path` and renames it into place: Nginx never reads half a file.
    func write(_ text: String, to path: String) throws(ProvisionError) {
        let temporary = "\(path).tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw ProvisionError(step: "write \(path)", reason: String(cString: strerror(errno)))
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ProvisionError(step: "move \(path) into place", reason: reason)
        }
    }

    /// Runs the reload command; its failure (with what it printed) is the event's failure.
    func reload() throws(ProvisionError) {
        guard let executable = reloadCommand.first else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(reloadCommand.dropFirst())
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw ProvisionError(step: "reload Nginx", reason: "\(executable): \(error.localizedDescription)") }
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ProvisionError(
                step: "reload Nginx",
                reason: "\(reloadCommand.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: said.prefix(500), as: UTF8.self))")
        }
    }
}

/// A provisioning step that failed, and why.
package struct ProvisionError: Error, Sendable, CustomStringConvertible {
    package var step: String
    package var reason: String
    package init(step: String, reason: String) {
        self.step = step
        self.reason = reason
    }
    package var description: String { "\(step): \(reason)" }
}
