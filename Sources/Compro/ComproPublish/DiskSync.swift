import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Makes written files and the folder entries that name them durable before a release goes live.
///
/// POSIX makes a new file durable only with an fsync of the file and of every folder that gained
/// or lost an entry, and the cost of an fsync is mostly the wait for the disk's cache flush. The
/// fsyncs of one publish are therefore issued together from ``BlockingCallThreads`` (the block
/// layer merges flushes that are pending at the same time), so a publish waits for about one
/// flush instead of one per file. A large set (a full release, a compaction) is made durable with
/// one `syncfs` of the file system instead of tens of thousands of fsyncs.
enum DiskSync {
    /// Above this many fsyncs, one `syncfs` is cheaper.
    static let syncfsThreshold = 256

    /// Syncs `files` and `folders` (paths relative to `root`; "" is `root` itself).
    static func sync(root: String, files: some Collection<String>, folders: some Collection<String>) throws(PublishError) {
        if files.count + folders.count > syncfsThreshold {
            try syncFileSystem(containing: root)
            return
        }
        try sync(paths: files.map { "\(root)/\($0)" } + folders.map { $0.isEmpty ? root : "\(root)/\($0)" })
    }

    /// Syncs files and folders given by full path, all at once.
    static func sync(paths: [String]) throws(PublishError) {
        let failures = BlockingCallThreads.shared.map(paths) { path -> PublishError? in
            do throws(PublishError) { try syncPath(path) } catch { return error }
            return nil
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
    }

    /// What a release made of `contents` adds: the files to sync (written files, their `.gz`
    /// siblings, static files, gone markers, the manifest) and the folders that gained an entry
    /// (those of every file, link and the base link, up to the release folder).
    static func entries(of contents: ReleaseContents) -> (files: [String], folders: Set<String>) {
        var files: [String] = []
        for path in contents.files.map(\.path) {
            files.append(path)
            if Gzip.isCompressible(path) { files.append(path + ".gz") }
        }
        files += contents.staticFiles.map(\.path)
        files += contents.gone.map { ".koni/gone/\($0)" }
        files.append(ReleaseManifest.relativePath)
        let folders = self.folders(holding: files + contents.links.map(\.path) + [".koni/base"])
        return (files, folders)
    }

    /// Every folder a set of paths sits in, up to the root (""): the folders that gained or lost
    /// an entry when the paths were written, linked, removed or made.
    static func folders(holding paths: some Sequence<String>) -> Set<String> {
        ReleaseWriter.folders(holding: paths).union([""])
    }

    /// fsync of one file or folder.
    static func syncPath(_ path: String) throws(PublishError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw PublishError(path: path, reason: "cannot open to sync: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw PublishError(path: path, reason: "cannot sync to disk: \(String(cString: strerror(errno)))") }
    }

    /// Glibc's module map leaves out the GNU-only `syncfs`, so it is looked up at run time.
    private static let syncfs: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()

    private static func syncFileSystem(containing path: String) throws(PublishError) {
        let folder = try FolderDescriptor(path)
        defer { withExtendedLifetime(folder) {} }
        guard let syncfs = Self.syncfs else {
            // Only a libc without syncfs (not glibc ≥ 2.14) gets here; sync(2) covers every file system.
            Glibc.sync()
            return
        }
        guard syncfs(folder.descriptor) == 0 else { throw PublishError(path: path, reason: "cannot sync the file system: \(String(cString: strerror(errno)))") }
    }
}

/// A few threads for system calls that block on the disk, not on a core (fsync).
///
/// Dispatch on Linux runs about one work item per core at a time, so sixteen fsyncs sent through
/// it wait in line two by two; these threads issue them all at once.
final class BlockingCallThreads: @unchecked Sendable {
    static let shared = BlockingCallThreads(count: 15)

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs: [@Sendable () -> Void] = []

    init(count: Int) {
        for number in 0..<count {
            let thread = Thread { [self] in work() }
            thread.name = "koni-sync-\(number)"
            thread.start()
        }
    }

    /// Runs `transform` on every input, concurrently (the calling thread takes a share), and
    /// returns the results in input order once all are done.
    func map<T: Sendable, R: Sendable>(_ input: [T], _ transform: @escaping @Sendable (T) -> R) -> [R] {
        if input.count < 2 { return input.map(transform) }
        let results = Results<R>(count: input.count)
        condition.lock()
        for index in 1..<input.count {
            jobs.append { results.set(index, transform(input[index])) }
        }
        condition.broadcast()
        condition.unlock()
        results.set(0, transform(input[0]))
        return results.waitForAll()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeLast()
            condition.unlock()
            job()
        }
    }
}

/// Slots written once each from several threads; read once all are written.
private final class Results<R>: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var slots: [R?]
    private var missing: Int

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
        missing = count
    }

    func set(_ index: Int, _ value: R) {
        condition.lock()
        slots[index] = value
        missing -= 1
        if missing == 0 { condition.signal() }
        condition.unlock()
    }

    func waitForAll() -> [R] {
        condition.lock()
        defer { condition.unlock() }
        while missing > 0 { condition.wait() }
        return slots.compactMap { $0 }
    }
}
