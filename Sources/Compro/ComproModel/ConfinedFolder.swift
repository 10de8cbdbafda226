import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A folder whose files are read without ever following a symbolic link: a tenant's folder.
///
/// A tenant's files come from whoever edits the tenant (an admin, a script, a CMS import); a
/// symbolic link among them (`templates/pages/404.mustache -> /etc/passwd`) would publish a file
/// from elsewhere on the server. Every path is opened from the root's descriptor one component at
/// a time with `O_NOFOLLOW`, so a link anywhere on the way (a file, a folder, the root itself) is
/// refused, and a link swapped in after a check cannot be followed either: the check is the open.
public struct ConfinedFolder: Sendable {
    /// The folder; itself refused when it is a symbolic link.
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// What a folder entry is, read with `lstat` semantics (links are not followed).
    public enum Kind: Sendable, Equatable {
        case file
        case folder
        case symbolicLink
        case other
    }

    /// Reads the file at `relative` (components separated by `/`), at most `maximumBytes`.
    public func read(_ relative: String, maximumBytes: Int) throws(ConfinedFileError) -> [UInt8] {
        let (folder, name) = try openParent(of: relative)
        defer { close(folder) }
        let descriptor = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw error(relative, errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw error(relative, errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ConfinedFileError(path: relative, kind: .notAFile) }
        guard info.st_size >= 0, Int(info.st_size) <= maximumBytes else {
            throw ConfinedFileError(path: relative, kind: .tooLarge(maximumBytes))
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw error(relative, errno)
            }
            if count == 0 { break }
            filled += count
        }
        // A file that shrank while it was read is read as it is now; one that grew is cut at its size.
        return filled == bytes.count ? bytes : Array(bytes.prefix(filled))
    }

    /// The entries of the folder at `relative` ("" for the root), sorted by name, without `.`
    /// and `..`. A missing folder has no entries.
    public func entries(_ relative: String, limit: Int = 200_000) throws(ConfinedFileError) -> [(name: String, kind: Kind)] {
        let descriptor: Int32
        do {
            descriptor = try openFolder(relative)
        } catch {
            if error.kind == .missing { return [] }
            throw error
        }
        guard let stream = fdopendir(descriptor) else {
            let failure = errno
            close(descriptor)
            throw error(relative, failure)
        }
        defer { closedir(stream) }
        var result: [(String, Kind)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            guard result.count < limit else { throw ConfinedFileError(path: relative, kind: .tooMany(limit)) }
            var info = stat()
            guard fstatat(dirfd(stream), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let kind: Kind =
                switch info.st_mode & S_IFMT {
                case S_IFREG: .file
                case S_IFDIR: .folder
                case S_IFLNK: .symbolicLink
                default: .other
                }
            result.append((name, kind))
        }
        return result.sorted { $0.0 < $1.0 }
    }

    /// Every regular file under the folder `relative` (paths relative to the root), and every
    /// symbolic link found there, walked without following links. At most `limit` entries and
    /// `maximumDepth` levels are visited; more is an error naming the folder.
    public func walk(_ relative: String, limit: Int = 200_000, maximumDepth: Int = 32) throws(ConfinedFileError) -> (files: [String], links: [String]) {
        var files: [String] = []
        var links: [String] = []
        var visited = 0
        var pending: [(path: String, depth: Int)] = [(relative, 0)]
        while let (folder, depth) = pending.popLast() {
            guard depth <= maximumDepth else { throw ConfinedFileError(path: folder, kind: .tooDeep(maximumDepth)) }
            for (name, kind) in try entries(folder, limit: max(0, limit - visited)) {
                visited += 1
                guard visited <= limit else { throw ConfinedFileError(path: relative, kind: .tooMany(limit)) }
                let path = folder.isEmpty ? name : "\(folder)/\(name)"
                switch kind {
                case .file: files.append(path)
                case .folder: pending.append((path, depth + 1))
                case .symbolicLink: links.append(path)
                case .other: continue
                }
            }
        }
        return (files.sorted(), links.sorted())
    }

    /// Whether `relative` names a symbolic link, or lies under one (a linked folder).
    public func isLinked(_ relative: String) -> Bool {
        if relative.isEmpty { return isLink("") }
        do {
            let (folder, name) = try openParent(of: relative)
            defer { close(folder) }
            var info = stat()
            return fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
        } catch {
            return error.kind == .symbolicLink
        }
    }

    // MARK: Opening

    private func components(_ relative: String) throws(ConfinedFileError) -> [Substring] {
        let parts = relative.split(separator: "/")
        guard relative.utf8.count <= 4096, parts.count <= 64, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
            throw ConfinedFileError(path: relative, kind: .outside)
        }
        return parts
    }

    /// The root, opened without following a link.
    private func openRoot() throws(ConfinedFileError) -> Int32 {
        let descriptor = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw error("", errno) }
        return descriptor
    }

    /// The folder at `relative`, each component opened with `O_NOFOLLOW`.
    private func openFolder(_ relative: String) throws(ConfinedFileError) -> Int32 {
        // Checked before the root is opened, so that a refused path leaks no descriptor.
        let parts = try components(relative)
        var current = try openRoot()
        var walked = ""
        for part in parts {
            walked = walked.isEmpty ? String(part) : "\(walked)/\(part)"
            let next = openat(current, String(part), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let failure = errno
            close(current)
            guard next >= 0 else { throw error(walked, failure) }
            current = next
        }
        return current
    }

    /// The folder holding `relative` (opened) and the last component's name.
    private func openParent(of relative: String) throws(ConfinedFileError) -> (Int32, String) {
        let parts = try components(relative)
        guard let name = parts.last else { throw ConfinedFileError(path: relative, kind: .notAFile) }
        let folder = try openFolder(parts.dropLast().joined(separator: "/"))
        return (folder, String(name))
    }

    private func error(_ relative: String, _ code: Int32) -> ConfinedFileError {
        switch code {
        case ENOENT: ConfinedFileError(path: relative, kind: .missing)
        // O_NOFOLLOW on a link: ELOOP; O_DIRECTORY | O_NOFOLLOW on a link to a folder: ENOTDIR.
        case ELOOP: ConfinedFileError(path: relative, kind: .symbolicLink)
        case ENOTDIR:
            isLink(relative) ? ConfinedFileError(path: relative, kind: .symbolicLink) : ConfinedFileError(path: relative, kind: .notAFolder)
        default: ConfinedFileError(path: relative, kind: .system(String(cString: strerror(code))))
        }
    }

    /// `lstat` of `relative` joined to the root by path, only to word an error.
    private func isLink(_ relative: String) -> Bool {
        var info = stat()
        let path = relative.isEmpty ? root : "\(root)/\(relative)"
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }
}

/// `read(2)`, named apart from ``ConfinedFolder/read(_:maximumBytes:)``.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// A file of a confined folder that could not be read, with its path relative to the folder.
public struct ConfinedFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case missing
        case symbolicLink
        case notAFile
        case notAFolder
        case outside
        case tooLarge(Int)
        case tooMany(Int)
        case tooDeep(Int)
        case system(String)
    }

    /// Relative to the folder; empty for the folder itself.
    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var reason: String {
        switch kind {
        case .missing: "does not exist"
        case .symbolicLink: "is a symbolic link; links are never followed in a tenant folder (copy the file instead)"
        case .notAFile: "is not a regular file"
        case .notAFolder: "is not a folder"
        case .outside: "leaves the folder (.. or . components, or too long)"
        case .tooLarge(let limit): "is larger than \(limit) bytes"
        case .tooMany(let limit): "holds more than \(limit) entries"
        case .tooDeep(let limit): "is nested deeper than \(limit) folders"
        case .system(let text): text
        }
    }

    public var description: String { "\(path.isEmpty ? "." : path): \(reason)" }
}

extension StaticFile {
    /// The file's bytes. One from a tenant's folder (`confinedTo`) is read there without
    /// following links, so a link swapped in after the folder was listed is refused, not read.
    public func read(maximumBytes: Int = 64 << 20) throws(ConfinedFileError) -> [UInt8] {
        if let root = confinedTo, sourcePath.hasPrefix(root + "/") {
            return try ConfinedFolder(root: root).read(String(sourcePath.dropFirst(root.count + 1)), maximumBytes: maximumBytes)
        }
        let folder = ConfinedFolder(root: (sourcePath as NSString).deletingLastPathComponent)
        return try folder.read((sourcePath as NSString).lastPathComponent, maximumBytes: maximumBytes)
    }
}
