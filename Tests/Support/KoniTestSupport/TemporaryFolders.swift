import Foundation

/// Folders for one test run, all under one folder per test process that is removed when the
/// process exits, so that a run leaves nothing in `/tmp`.
package enum TemporaryFolders {
    /// `$TMPDIR/koni-tests-<pid>`.
    package static let root: String = {
        let path = NSTemporaryDirectory() + "koni-tests-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TemporaryFolders.root) }
        return path
    }()

    /// A new, empty folder whose name starts with `name`.
    package static func make(_ name: String) -> String {
        let path = "\(root)/\(name)-\(UUID().uuidString.prefix(8).lowercased())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
