import Foundation
import Synchronization

/// The branches a login may be for, as they are now: those of the tenant folders, overlaid by the
/// branches the Tenant service has announced (`tenant.created`, `tenant.updated`,
/// `tenant.suspended`), so that a branch registered through the Tenant API can sign in without a
/// restart, and a suspended one cannot.
package final class LiveBranchRegistry: Sendable {
    private let folders: BranchRegistry
    private let state: Mutex<BranchRegistry>

    package init(folders: BranchRegistry) {
        self.folders = folders
        state = Mutex(folders)
    }

    /// The registry as it is now.
    package var current: BranchRegistry { state.withLock { $0 } }

    /// Replaces the announced branches: `announced` (active ones) win over a folder branch of the
    /// same slug; `suspended` slugs are removed even when a folder has them.
    package func update(announced: [BranchRegistry.Branch], suspended: Set<String>) {
        let overlaid = Set(announced.map(\.slug)).union(suspended)
        let merged = folders.branches.filter { !overlaid.contains($0.slug) } + announced
        state.withLock { $0 = BranchRegistry(branches: merged.sorted { $0.slug < $1.slug }) }
    }
}
