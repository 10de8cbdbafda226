import ComproRevalidate
import Foundation
import Logging
import ServiceLifecycle

/// `serve --watch`: polls the tenant folders, templates and themes, and revalidates what changed.
///
/// Polling sizes and modification times (every `interval`) rather than inotify: it works the
/// same on every file system (network mounts, containers, editors that replace files), and a scan
/// of a tenant's files costs a few milliseconds.
package struct TenantWatcher: Service {
    let revalidator: Revalidator
    let interval: Duration
    let logger: Logger

    package init(revalidator: Revalidator, interval: Duration = .milliseconds(300), logger: Logger) {
        self.revalidator = revalidator
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        let environment = revalidator.builder.environment
        var templates = Self.stamp(of: environment.templatesDirectory)
        while !Task.isShuttingDownGracefully {
            let now = Self.stamp(of: environment.templatesDirectory)
            let templatesChanged = now != templates
            templates = now
            for tenant in revalidator.tenants() {
                do {
                    let result = try await revalidator.revalidate(
                        tenant: tenant, changes: templatesChanged ? [ContentChange(entity: .templates)] : [], rescan: true
                    )
                    if !result.written.isEmpty || !result.removed.isEmpty {
                        revalidator.metrics.eventReceived(.watch)
                        logger.info(
                            "published",
                            metadata: [
                                "tenant": "\(tenant)", "release": "\(result.release)", "written": "\(result.written.count)",
                                "removed": "\(result.removed.count)",
                            ])
                    }
                } catch {
                    logger.error("regeneration failed; live site unchanged", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Sizes and modification times of every file under `directory`.
    static func stamp(of directory: String) -> [String: Double] {
        var result: [String: Double] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return result }
        while let relative = enumerator.nextObject() as? String {
            if let attributes = try? FileManager.default.attributesOfItem(atPath: "\(directory)/\(relative)"),
                let date = attributes[.modificationDate] as? Date, let size = attributes[.size] as? Int
            {
                result[relative] = date.timeIntervalSince1970 + Double(size) * 1e-9
            }
        }
        return result
    }
}
