import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes generated configuration files so that Nginx, reloading at any moment, reads either
/// the old file or the new one: each is written beside its destination and renamed over it.
package enum NginxConfigFiles {
    /// Writes `files` into `directory` (created if missing).
    package static func write(_ files: [(name: String, text: String)], to directory: String) throws(NginxConfigError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw NginxConfigError(directory, "cannot create the folder: \(error.localizedDescription)")
        }
        for file in files {
            guard !file.name.contains("/"), !file.name.hasPrefix(".") else {
                throw NginxConfigError(file.name, "not a plain file name")
            }
            let destination = "\(directory)/\(file.name)"
            let temporary = "\(directory)/.\(file.name).\(getpid()).tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(file.text.utf8)) else {
                throw NginxConfigError(temporary, "cannot write: \(String(cString: strerror(errno)))")
            }
            guard rename(temporary, destination) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw NginxConfigError(destination, "cannot replace: \(reason)")
            }
        }
    }
}
