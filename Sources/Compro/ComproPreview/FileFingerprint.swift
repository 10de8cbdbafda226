import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A cheap summary of a set of files (path, inode, size, modification time) that changes
/// whenever one of them is edited, replaced, added or removed.
///
/// The preview polls this every half second instead of subscribing to file-system events:
/// Foundation has no portable watcher on Linux, inotify watches a file's inode (editors that
/// save by writing a new file and renaming it over the old one silently end such a watch),
/// and a tenant folder is a few hundred files, so one round of stat(2) calls costs well
/// under a millisecond. Half a second is below the time a designer takes to switch to the
/// browser and reload.
package struct FileFingerprint: Sendable, Hashable {
    private var entries: [String: Entry]

    struct Entry: Sendable, Hashable {
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    /// Walks `roots` (files or folders, recursively; hidden entries skipped).
    package init(roots: [String]) {
        var entries: [String: Entry] = [:]
        for root in roots {
            Self.visit(root, into: &entries)
        }
        self.entries = entries
    }

    package var fileCount: Int { entries.count }

    private static func visit(_ path: String, into entries: inout [String: Entry]) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            for name in names where !name.hasPrefix(".") {
                visit("\(path)/\(name)", into: &entries)
            }
        } else {
            entries[path] = Entry(
                inode: UInt64(info.st_ino), size: Int64(info.st_size),
                modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            )
        }
    }
}
