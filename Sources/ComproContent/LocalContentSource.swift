import ComproModel
import Foundation

/// Loads a tenant from its folder: `tenant.yml`, `content/<kind>/*.md` and `static/`.
public struct LocalContentSource: Sendable {
    /// The folder holding one sub-folder per tenant (`./tenants`).
    public var tenantsDirectory: String

    public init(tenantsDirectory: String) {
        self.tenantsDirectory = tenantsDirectory
    }

    public func tenantDirectory(_ slug: String) -> String {
        (tenantsDirectory as NSString).appendingPathComponent(slug)
    }

    /// Slugs of every folder under `tenantsDirectory` that has a `tenant.yml`, sorted.
    public func tenantSlugs() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: tenantsDirectory)
        return names.filter { name in
            FileManager.default.fileExists(atPath: (tenantDirectory(name) as NSString).appendingPathComponent("tenant.yml"))
        }.sorted()
    }

    /// Reads only `tenant.yml`.
    public func loadConfig(_ slug: String) throws(ContentErrors) -> TenantConfig {
        if let problem = Slug.problem(with: slug) {
            throw ContentErrors([ContentError(file: slug, "tenant \(problem)")])
        }
        let path = (tenantDirectory(slug) as NSString).appendingPathComponent("tenant.yml")
        let display = "\(slug)/tenant.yml"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ContentErrors([ContentError(file: display, "no such tenant: \(path) does not exist")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ContentErrors([ContentError(file: display, "not valid UTF-8 text")])
        }
        do {
            return try TenantConfigParser.parse(text, slug: slug, file: display)
        } catch {
            throw ContentErrors([error])
        }
    }

    /// Reads the whole tenant; every problem found is reported together.
    public func load(_ slug: String) throws(ContentErrors) -> SiteContent {
        let config = try loadConfig(slug)
        let files = contentFiles(slug)
        let results = ParallelMap.map(files) { file in parse(file, config: config) }
        return try assemble(config: config, items: results, staticFiles: { () throws(ContentErrors) in try staticFiles(slug) })
    }

    /// Builds the site from parse results, reporting every failure together; shared by full loads
    /// and by the daemon, which re-parses only the files that changed.
    public func assemble(
        config: TenantConfig, items: some Sequence<Result<ParsedItem, ContentError>>,
        staticFiles: () throws(ContentErrors) -> [StaticFile]
    ) throws(ContentErrors) -> SiteContent {
        var collector = ErrorCollector()
        var assembler = SiteAssembler(tenant: config)
        for result in items {
            switch result {
            case .success(let item): assembler.add(item)
            case .failure(let error): collector.add(error)
            }
        }
        let files = collector.collect { try staticFiles() } ?? []
        var content = assembler.finish(collector: &collector)
        content.staticFiles = files
        try collector.throwIfAny()
        return content
    }

    /// One content file of a tenant.
    public struct ContentFile: Sendable, Hashable {
        public var kind: ContentKind
        /// File name inside `content/<kind folder>/`.
        public var name: String

        public init(kind: ContentKind, name: String) {
            self.kind = kind
            self.name = name
        }

        public var relativePath: String { "content/\(kind.folder)/\(name)" }
    }

    /// Every Markdown file under `content/`, in a fixed order.
    public func contentFiles(_ slug: String) -> [ContentFile] {
        let root = tenantDirectory(slug)
        return ContentKind.allCases.flatMap { kind in
            markdownFiles(in: "\(root)/content/\(kind.folder)").map { ContentFile(kind: kind, name: $0) }
        }
    }

    /// Parses one content file; a missing file is reported as an error.
    public func parse(_ file: ContentFile, config: TenantConfig) -> Result<ParsedItem, ContentError> {
        let slug = config.slug
        let relative = "\(slug)/\(file.relativePath)"
        guard let data = FileManager.default.contents(atPath: "\(tenantDirectory(slug))/\(file.relativePath)"),
            let text = String(data: data, encoding: .utf8)
        else {
            return .failure(ContentError(file: relative, "cannot be read as UTF-8 text"))
        }
        do throws(ContentError) {
            return .success(try ItemParser(timeZone: config.timeZone).parse(file.kind, text: text, file: relative))
        } catch {
            return .failure(error)
        }
    }

    /// The files of `static/`.
    public func staticFiles(_ slug: String) throws(ContentErrors) -> [StaticFile] {
        try staticFiles(root: "\(tenantDirectory(slug))/static", slug: slug)
    }

    private func markdownFiles(in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
    }

    /// Lists `static/` recursively. Symbolic links are refused: one could point anywhere on the
    /// server and publish its target.
    private func staticFiles(root: String, slug: String) throws(ContentErrors) -> [StaticFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else { return [] }
        var result: [StaticFile] = []
        var errors: [ContentError] = []
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        while let relative = enumerator.nextObject() as? String {
            let full = "\(root)/\(relative)"
            let attributes = try? FileManager.default.attributesOfItem(atPath: full)
            let type = attributes?[.type] as? FileAttributeType
            let display = "\(slug)/static/\(relative)"
            if type == .typeSymbolicLink {
                errors.append(ContentError(file: display, "symbolic links are not published; copy the file instead"))
                continue
            }
            guard type == .typeRegular else { continue }
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") { continue }
            if relative.split(separator: "/").contains(where: { $0 == ".." || $0.hasPrefix(".") }) {
                errors.append(ContentError(file: display, "hidden or parent path components are not allowed"))
                continue
            }
            result.append(StaticFile(path: relative, sourcePath: full))
        }
        if !errors.isEmpty { throw ContentErrors(errors) }
        return result.sorted { $0.path < $1.path }
    }
}
