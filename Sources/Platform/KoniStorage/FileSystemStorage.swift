import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Files in one folder, a key's `/` being a subfolder. Each file is written to a temporary name,
/// synced and renamed, so a reader (or a crash) never sees half a file.
package struct FileSystemStorage: ObjectStorage {
    package let root: String

    package init(root: String) throws(StorageError) {
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw StorageError(key: root, kind: .unavailable, reason: "cannot create the storage folder: \(error.localizedDescription)")
        }
        self.root = root
    }

    package var description: String { "file://\(root)" }

    package func put(key: String, file path: String, contentType: String) async throws(StorageError) {
        try StorageKey.check(key)
        let target = "\(root)/\(key)"
        let folder = (target as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StorageError(key: key, kind: .unavailable, reason: "cannot create its folder: \(error.localizedDescription)")
        }
        let temporary = "\(target).\(UUID().uuidString).tmp"
        do {
            try FileManager.default.copyItem(atPath: path, toPath: temporary)
        } catch {
            throw StorageError(key: key, kind: .unavailable, reason: "cannot write: \(error.localizedDescription)")
        }
        let descriptor = open(temporary, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StorageError(key: key, kind: .unavailable, reason: "cannot rename into place: \(reason)")
        }
    }

    package func get(key: String, maximumBytes: Int) async throws(StorageError) -> [UInt8] {
        try StorageKey.check(key)
        let path = "\(root)/\(key)"
        var info = stat()
        guard lstat(path, &info) == 0 else { throw StorageError(key: key, kind: .notFound, reason: "no such object") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw StorageError(key: key, kind: .notFound, reason: "not a file") }
        guard info.st_size <= maximumBytes else {
            throw StorageError(key: key, kind: .tooLarge, reason: "\(info.st_size) bytes, more than the \(maximumBytes) asked for")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StorageError(key: key, kind: .unavailable, reason: "cannot read")
        }
        return Array(data)
    }

    package func delete(key: String) async throws(StorageError) {
        try StorageKey.check(key)
        if unlink("\(root)/\(key)") != 0 && errno != ENOENT {
            throw StorageError(key: key, kind: .unavailable, reason: "cannot delete: \(String(cString: strerror(errno)))")
        }
    }
}
