import ComproContent
import ComproModel
import Foundation

/// The parsed files of one tenant kept in memory, so a change re-reads only the files it names
/// (or, for a rescan, only the files whose size or modification time changed), and the site is
/// updated item by item instead of being assembled again from every file.
struct TenantFiles {
    typealias File = LocalContentSource.ContentFile

    struct Entry {
        var result: Result<ParsedItem, ContentError>
        var stamp: FileStamp?
    }

    struct FileStamp: Equatable {
        var size: UInt64
        var modified: Double
    }

    /// The last assembled site and who owns which id, for incremental updates.
    private struct Assembled {
        var content: SiteContent
        /// Every parsed item's id (drafts too, for duplicate detection) and its file.
        var owner: [ItemID: File]
        var fileItem: [File: ItemID]
        /// False after an incremental update gave up half way: the maps still hold, the content
        /// does not, and the next change needs a full assembly.
        var contentIsCurrent = true
    }

    /// Above this many changed files a full assembly is as cheap and simpler.
    static let incrementalLimit = 64

    let source: LocalContentSource
    let slug: String
    private(set) var config: TenantConfig
    private(set) var entries: [File: Entry] = [:]
    private var configStamp: FileStamp?
    private var staticStamp: [String: FileStamp] = [:]
    private var staticList: [StaticFile]?
    private var assembled: Assembled?
    /// Files re-read since `assembled` was made.
    private var dirty: Set<File> = []
    /// True for a tenant whose items and settings come from a ``ContentMirror`` (`source: cms`):
    /// the entries are the mirror's items (keyed by their id in the source) and the folder's
    /// content files and `tenant.yml` settings are not read.
    private(set) var isExternal = false
    /// The moment of the last snapshot applied per kind (``supply(_:)``).
    private var lastSupply: [ContentKind: ItemSnapshot] = [:]

    /// Loads every file; throws when `tenant.yml` cannot be read or the folder holds a symbolic
    /// link (files are never read through one; this names every link at once).
    init(source: LocalContentSource, slug: String) throws(ContentErrors) {
        self.source = source
        self.slug = slug
        let links = source.linkErrors(slug)
        if !links.isEmpty { throw ContentErrors(links) }
        config = try source.loadConfig(slug)
        configStamp = Self.stamp("\(source.tenantDirectory(slug))/tenant.yml")
        reloadAll()
    }

    /// A tenant whose content is a mirror's: `changes` must be complete.
    init(source: LocalContentSource, slug: String, external changes: MirrorChanges) throws(ContentErrors) {
        self.source = source
        self.slug = slug
        let links = source.linkErrors(slug)
        if !links.isEmpty { throw ContentErrors(links) }
        config = changes.config
        isExternal = true
        staticStamp = staticStamps()
        apply(changes)
    }

    /// Applies what a mirror says changed: its items replace the entries they name (a complete
    /// set replaces them all), and new settings make the site assembled again.
    mutating func apply(_ changes: MirrorChanges) {
        if changes.configChanged {
            // A mirror parses its items itself (again, as a complete set, after a time-zone change).
            config = changes.config
            assembled = nil
        }
        if changes.complete {
            entries = [:]
            for case (let file, .some(let result)) in changes.items { entries[file] = Entry(result: result, stamp: nil) }
            assembled = nil
            dirty = []
            return
        }
        for (file, result) in changes.items {
            dirty.insert(file)
            entries[file] = result.map { Entry(result: $0, stamp: nil) }
        }
    }

    mutating func reloadAll() {
        let files = folderFiles()
        let config = self.config
        let source = self.source
        let root = source.tenantDirectory(slug)
        let parsed = ParallelMap.map(files) { file in
            (source.parse(file, config: config), Self.stamp("\(root)/\(file.relativePath)"))
        }
        // Items services gave are not files: they stay until the next supply.
        let supplied = suppliedKinds
        entries = entries.filter { Self.isSupplied($0.key) && supplied.contains($0.key.kind) }
        for (file, result) in zip(files, parsed) { entries[file] = Entry(result: result.0, stamp: result.1) }
        staticStamp = staticStamps()
        staticList = nil
        assembled = nil
        dirty = []
    }

    /// The kinds a service keeps for this tenant (`gms:` tournaments, `athletes:` athletes): the
    /// folder's files of those kinds are not read, and ``supply(_:)`` gives them.
    var suppliedKinds: Set<ContentKind> { Set(config.serviceSources.map(\.kind)) }

    /// The folder's content files, without the kinds a service keeps.
    private func folderFiles() -> [File] {
        let supplied = suppliedKinds
        return source.contentFiles(slug).filter { !supplied.contains($0.kind) }
    }

    /// The key of an item ``supply(_:)`` gave: not a file name (`service:` cannot start one).
    static func suppliedFile(_ kind: ContentKind, _ slug: String) -> File { File(kind: kind, name: "service:\(slug)") }
    static func isSupplied(_ file: File) -> Bool { file.name.hasPrefix("service:") }

    /// Makes `snapshot` the tenant's items of its kind (a service's export, all of them): only
    /// those that differ (compared whole: a time zone change shows in their times), and those
    /// that are gone, are marked as changed. A snapshot older than one already applied is ignored.
    mutating func supply(_ snapshot: ItemSnapshot) {
        let kind = snapshot.kind
        guard suppliedKinds.contains(kind), snapshot.isAtLeast(lastSupply[kind]) else { return }
        lastSupply[kind] = ItemSnapshot(kind: kind, items: [], asOf: snapshot.asOf)
        var fresh: [File: Entry] = [:]
        for item in snapshot.items {
            fresh[Self.suppliedFile(kind, item.identity.1.slug)] = Entry(result: .success(item), stamp: nil)
        }
        for (file, entry) in entries where file.kind == kind {
            if let new = fresh.removeValue(forKey: file) {
                if case .success(let old) = entry.result, case .success(let now) = new.result, Self.same(old, now) { continue }
                entries[file] = new
            } else {
                entries[file] = nil
            }
            dirty.insert(file)
        }
        for (file, entry) in fresh {
            entries[file] = entry
            dirty.insert(file)
        }
    }

    /// Whether two items of a service are the same in every field a page shows: tournaments are
    /// compared whole; other items by their revision (a digest of what the service sent).
    static func same(_ old: ParsedItem, _ new: ParsedItem) -> Bool {
        if case .tournament(let a) = old, case .tournament(let b) = new { return a == b }
        return old.identity.1.revision == new.identity.1.revision
    }

    /// Re-reads `tenant.yml` (when it changed on disk, or `force`). Settings change how every
    /// page renders and the time zone how every file parses, so the site is assembled again.
    mutating func reloadConfig(force: Bool) throws(ContentErrors) {
        guard !isExternal else { return }
        let stamp = Self.stamp("\(source.tenantDirectory(slug))/tenant.yml")
        guard force || stamp != configStamp else { return }
        let fresh = try source.loadConfig(slug)
        configStamp = stamp
        let reparse = fresh.timeZone != config.timeZone
        config = fresh
        assembled = nil
        let supplied = suppliedKinds
        if entries.keys.contains(where: { Self.isSupplied($0) && !supplied.contains($0.kind) }) {
            // A service was removed from `tenant.yml`: its items go, and the folder's are read again.
            for file in entries.keys where Self.isSupplied(file) && !supplied.contains(file.kind) { entries[file] = nil }
            lastSupply = lastSupply.filter { supplied.contains($0.key) }
            reloadAll()
            return
        }
        if reparse { reloadAll() }
    }

    /// Re-reads the files that may hold `kind`/`slug`: `<slug>.md` and any file whose item had that slug.
    mutating func reload(kind: ContentKind, slug itemSlug: String) {
        guard !isExternal, !suppliedKinds.contains(kind) else { return }
        var candidates: Set<File> = []
        if Slug.isValid(itemSlug) { candidates.insert(File(kind: kind, name: "\(itemSlug).md")) }
        if let assembled, let file = assembled.owner[ItemID(kind, itemSlug)] { candidates.insert(file) }
        for file in candidates { reload(file) }
    }

    mutating func reload(_ file: File) {
        dirty.insert(file)
        let path = "\(source.tenantDirectory(slug))/\(file.relativePath)"
        // lstat: a dangling link is still there (and refused when parsed), not a deleted file.
        guard let stamp = Self.stamp(path) else {
            entries[file] = nil
            return
        }
        entries[file] = Entry(result: source.parse(file, config: config), stamp: stamp)
    }

    /// Compares sizes and modification times with what was read; re-reads what differs.
    /// Returns whether the content or the static files changed.
    mutating func rescan() -> (content: Bool, staticFiles: Bool) {
        var changed = false
        // A mirror's items are not files: only the static files are compared for it.
        if !isExternal {
            let current = Set(folderFiles())
            for file in entries.keys where !current.contains(file) && !Self.isSupplied(file) {
                entries[file] = nil
                dirty.insert(file)
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
        }
        let statics = staticStamps()
        let staticChanged = statics != staticStamp
        staticStamp = statics
        if staticChanged { staticList = nil }
        return (changed, staticChanged)
    }

    /// The tenant's content exactly as a full load would give it (or every error a full load
    /// would report), and, when known, the ids whose items may have changed since the last call.
    mutating func content() throws(ContentErrors) -> (content: SiteContent, changed: Set<ItemID>?) {
        if let incremental = incrementalContent() {
            return incremental
        }
        let content = try fullContent()
        return (content, nil)
    }

    private mutating func fullContent() throws(ContentErrors) -> SiteContent {
        let ordered = entries.sorted { ($0.key.kind.rawValue, $0.key.name) < ($1.key.kind.rawValue, $1.key.name) }
        let source = self.source
        let slug = self.slug
        let cachedStatic = staticList
        var loadedStatic: [StaticFile]?
        let content = try source.assemble(config: config, items: ordered.map(\.value.result)) { () throws(ContentErrors) in
            if let cachedStatic { return cachedStatic }
            let files = try source.staticFiles(slug)
            loadedStatic = files
            return files
        }
        if let loadedStatic { staticList = loadedStatic }
        var owner: [ItemID: File] = [:]
        var fileItem: [File: ItemID] = [:]
        for (file, entry) in ordered {
            guard case .success(let item) = entry.result else { continue }
            owner[item.identity.0] = file
            fileItem[file] = item.identity.0
        }
        assembled = Assembled(content: content, owner: owner, fileItem: fileItem)
        dirty = []
        return content
    }

    /// The ids the next ``content()`` can report as changed: the items the re-read files held
    /// before and hold now. A caller that needs facts about the site before the change takes them
    /// for these ids and then lets go of every other reference to the content it was given, so
    /// the change is applied to the arrays in place instead of copying every item.
    func changeCandidates() -> Set<ItemID> {
        var ids = Set<ItemID>()
        for file in dirty {
            if let old = assembled?.fileItem[file] { ids.insert(old) }
            if case .success(let item)? = entries[file]?.result { ids.insert(item.identity.0) }
        }
        return ids
    }

    /// Applies the dirty files to the last assembled site, or nil when only a full assembly can
    /// say what the site is (an error, a duplicate, a reserved slug, too many changes).
    private mutating func incrementalContent() -> (content: SiteContent, changed: Set<ItemID>?)? {
        guard var state = assembled, state.contentIsCurrent, dirty.count <= Self.incrementalLimit, let files = staticList else {
            return nil
        }
        // Changed in place: nothing else may hold the arrays (see ``changeCandidates()``).
        assembled = nil
        var changed = Set<ItemID>()
        // What the id maps held before, to put back when this gives up: a re-read by slug finds an
        // item's file through them even while the tenant's content cannot be assembled.
        var ownerBefore: [ItemID: File?] = [:]
        var itemBefore: [File: ItemID?] = [:]
        func setOwner(_ id: ItemID, _ file: File?) {
            if ownerBefore.index(forKey: id) == nil { ownerBefore.updateValue(state.owner[id], forKey: id) }
            state.owner[id] = file
        }
        func setItem(_ file: File, _ id: ItemID?) {
            if itemBefore.index(forKey: file) == nil { itemBefore.updateValue(state.fileItem[file], forKey: file) }
            state.fileItem[file] = id
        }
        var usable = true
        apply: for file in dirty {
            if let old = state.fileItem[file] {
                Self.remove(old, from: &state.content)
                setOwner(old, nil)
                setItem(file, nil)
                changed.insert(old)
            }
            guard let entry = entries[file] else { continue }
            guard case .success(let item) = entry.result, state.owner[item.identity.0] == nil else {
                usable = false
                break apply
            }
            let (id, meta) = item.identity
            setOwner(id, file)
            setItem(file, id)
            changed.insert(id)
            if meta.draft { continue }
            if case .page = item, SiteAssembler.reservedPageSlugs.contains(meta.slug) {
                usable = false
                break apply
            }
            Self.insert(item, into: &state.content)
        }
        guard usable, SiteAssembler.referenceProblems(in: state.content).isEmpty else {
            // Only a full assembly can say what the site is now; the content is half changed,
            // so it is marked stale, and the id maps are those of the last assembled site.
            for (id, file) in ownerBefore { state.owner[id] = file }
            for (file, id) in itemBefore { state.fileItem[file] = id }
            state.contentIsCurrent = false
            assembled = state
            return nil
        }
        state.content.staticFiles = files
        state.content.tenant = config
        assembled = state
        dirty = []
        return (state.content, changed)
    }

    private static func remove(_ id: ItemID, from content: inout SiteContent) {
        guard let (kind, slug) = id.kindAndSlug else { return }
        switch kind {
        case .page: removeFirst(slug, from: &content.pages) { $0.meta.slug }
        case .news: removeFirst(slug, from: &content.news) { $0.meta.slug }
        case .event: removeFirst(slug, from: &content.events) { $0.meta.slug }
        case .gallery: removeFirst(slug, from: &content.galleries) { $0.meta.slug }
        case .athlete: removeFirst(slug, from: &content.athletes) { $0.meta.slug }
        case .tournament: removeFirst(slug, from: &content.tournaments) { $0.meta.slug }
        }
    }

    /// Slugs are unique in an assembled site (a duplicate makes the assembly a full one), so the
    /// first match is the only one; `remove(at:)` moves the tail instead of copying every item as
    /// `removeAll(where:)` does.
    private static func removeFirst<Item>(_ slug: String, from items: inout [Item], slugOf: (Item) -> String) {
        if let position = items.firstIndex(where: { slugOf($0) == slug }) { items.remove(at: position) }
    }

    private static func insert(_ item: ParsedItem, into content: inout SiteContent) {
        switch item {
        case .page(let x): content.pages.insert(x, at: ContentOrder.insertionIndex(of: x, in: content.pages, by: ContentOrder.page))
        case .news(let x): content.news.insert(x, at: ContentOrder.insertionIndex(of: x, in: content.news, by: ContentOrder.news))
        case .event(let x): content.events.insert(x, at: ContentOrder.insertionIndex(of: x, in: content.events, by: ContentOrder.event))
        case .gallery(let x):
            content.galleries.insert(x, at: ContentOrder.insertionIndex(of: x, in: content.galleries, by: ContentOrder.gallery))
        case .athlete(let x):
            content.athletes.insert(x, at: ContentOrder.insertionIndex(of: x, in: content.athletes, by: ContentOrder.athlete))
        case .tournament(let x):
            content.tournaments.insert(x, at: ContentOrder.insertionIndex(of: x, in: content.tournaments, by: ContentOrder.tournament))
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
        guard lstat(path, &info) == 0 else { return nil }
        return FileStamp(size: UInt64(info.st_size), modified: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
    }
}
