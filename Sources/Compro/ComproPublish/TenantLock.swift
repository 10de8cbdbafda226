import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive advisory lock (flock) on a tenant's output folder, so that two builds or a build
/// and the daemon never publish the same tenant at once. The kernel drops it if the process dies.
struct TenantLock {
    private let descriptor: Int32

    init(path: String) throws(PublishError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PublishError(path: directory, reason: "cannot create folder: \(error.localizedDescription)")
        }
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PublishError(path: path, reason: "cannot open lock: \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw PublishError(path: path, reason: "cannot lock: \(reason)")
        }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
