import ComproContent
import ComproModel
import Foundation

/// The parsed files of one tenant kept in memory, so a change re-reads only the files it names
/// (or, for a rescan, only the files whose size or modification time changed).
struct TenantFiles {
    struct Entry {
        var result: Result<ParsedItem, ContentError>
        var stamp: FileStamp?
    }

    struct FileStamp: Equatable {
        var size: UInt64
        var modified: Double
    }

    let source: LocalContentSource
    let slug: String
    private(set) var config: TenantConfig
    private(set) var entries: [LocalContentSource.ContentFile: Entry] = [:]
    private var staticStamp: [String: FileStamp] = [:]

    /// Loads every file; throws only when `tenant.yml` cannot be read.
    init(source: LocalContentSource, slug: String) throws(ContentErrors) {
        self.source = source
        self.slug = slug
        config = try source.loadConfig(slug)
        reloadAll()
    }

    mutating func reloadAll() {
        let files = source.contentFiles(slug)
        let config = self.config
        let source = self.source
        let root = source.tenantDirectory(slug)
        let parsed = ParallelMap.map(files) { file in
            (source.parse(file, config: config), Self.stamp("\(root)/\(file.relativePath)"))
        }
        entries = [:]
        for (file, result) in zip(files, parsed) { entries[file] = Entry(result: result.0, stamp: result.1) }
        staticStamp = staticStamps()
    }

    /// Re-reads `tenant.yml`; when settings that change how files are parsed (the time zone)
    /// changed, every file is parsed again.
    mutating func reloadConfig() throws(ContentErrors) {
        let fresh = try source.loadConfig(slug)
        let reparse = fresh.timeZone != config.timeZone
        config = fresh
        if reparse { reloadAll() }
    }

    /// Re-reads the files that may hold `kind`/`slug`: `<slug>.md` and any file whose item had that slug.
    mutating func reload(kind: ContentKind, slug itemSlug: String) {
        var candidates: Set<LocalContentSource.ContentFile> = []
        if Slug.isValid(itemSlug) { candidates.insert(.init(kind: kind, name: "\(itemSlug).md")) }
        for (file, entry) in entries where file.kind == kind {
            if case .success(let item) = entry.result, item.slug == itemSlug { candidates.insert(file) }
        }
        for file in candidates { reload(file) }
    }

    mutating func reload(_ file: LocalContentSource.ContentFile) {
        let path = "\(source.tenantDirectory(slug))/\(file.relativePath)"
        guard FileManager.default.fileExists(atPath: path) else {
            entries[file] = nil
            return
        }
        entries[file] = Entry(result: source.parse(file, config: config), stamp: Self.stamp(path))
    }

    /// Compares sizes and modification times with what was read; re-reads what differs.
    /// Returns whether anything (content or static files) changed.
    mutating func rescan() -> (content: Bool, staticFiles: Bool) {
        var changed = false
        let current = Set(source.contentFiles(slug))
        for file in entries.keys where !current.contains(file) {
            entries[file] = nil
            changed = true
        }
        let root = source.tenantDirectory(slug)
        for file in current {
            let stamp = Self.stamp("\(root)/\(file.relativePath)")
            if entries[file]?.stamp != stamp || stamp == nil {
                reload(file)
                changed = true
            }
        }
        let statics = staticStamps()
        let staticChanged = statics != staticStamp
        staticStamp = statics
        return (changed, staticChanged)
    }

    /// The tenant's content as a full load would give it, or every error a full load would report.
    func content() throws(ContentErrors) -> SiteContent {
        let ordered = entries.sorted { ($0.key.kind.rawValue, $0.key.name) < ($1.key.kind.rawValue, $1.key.name) }
        let source = self.source
        let slug = self.slug
        return try source.assemble(config: config, items: ordered.map(\.value.result)) { () throws(ContentErrors) in
            try source.staticFiles(slug)
        }
    }

    private func staticStamps() -> [String: FileStamp] {
        let root = "\(source.tenantDirectory(slug))/static"
        var result: [String: FileStamp] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return result }
        while let relative = enumerator.nextObject() as? String {
            if let stamp = Self.stamp("\(root)/\(relative)") { result[relative] = stamp }
        }
        return result
    }

    static func stamp(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(size: UInt64(info.st_size), modified: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
    }
}

extension ParsedItem {
    var slug: String {
        switch self {
        case .page(let x): x.meta.slug
        case .news(let x): x.meta.slug
        case .event(let x): x.meta.slug
        case .gallery(let x): x.meta.slug
        case .athlete(let x): x.meta.slug
        }
    }
}
