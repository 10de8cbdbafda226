import ComproModel
import Foundation

/// Loads a tenant from its folder: `tenant.yml`, `content/<kind>/*.md` and `static/`.
///
/// Every file is read through ``ConfinedFolder``: a symbolic link anywhere in the tenant (the
/// folder itself, `tenant.yml`, content, `static/`, `templates/`) is an error naming its path,
/// and nothing is ever read through one.
package struct LocalContentSource: Sendable {
    /// The largest `tenant.yml` and content file read.
    package static let maximumTextBytes = 4 << 20
    /// The largest static file published (a phone photo is 3–8 MB).
    package static let maximumStaticBytes = 64 << 20

    /// The folder holding one sub-folder per tenant (`./tenants`).
    package var tenantsDirectory: String

    package init(tenantsDirectory: String) {
        self.tenantsDirectory = tenantsDirectory
    }

    package func tenantDirectory(_ slug: String) -> String {
        (tenantsDirectory as NSString).appendingPathComponent(slug)
    }

    /// The tenant's folder, read without following links.
    package func folder(_ slug: String) -> ConfinedFolder { ConfinedFolder(root: tenantDirectory(slug)) }

    /// Every symbolic link in the tenant's folder (or the folder itself), as errors naming them.
    package func linkErrors(_ slug: String) -> [ContentError] {
        let folder = folder(slug)
        if folder.isLinked("") { return [ContentError(file: slug, "the tenant folder is a symbolic link; links are never followed in a tenant folder")] }
        do throws(ConfinedFileError) {
            return try folder.walk("").links.map { ContentError(file: "\(slug)/\($0)", ConfinedFileError(path: $0, kind: .symbolicLink).reason) }
        } catch {
            return [ContentError(file: "\(slug)/\(error.path)", error.reason)]
        }
    }

    /// Slugs of every folder under `tenantsDirectory` that has a `tenant.yml`, sorted.
    package func tenantSlugs() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: tenantsDirectory)
        return names.filter { name in
            FileManager.default.fileExists(atPath: (tenantDirectory(name) as NSString).appendingPathComponent("tenant.yml"))
        }.sorted()
    }

    /// Reads only `tenant.yml`.
    package func loadConfig(_ slug: String) throws(ContentErrors) -> TenantConfig {
        if let problem = Slug.problem(with: slug) {
            throw ContentErrors([ContentError(file: slug, "tenant \(problem)")])
        }
        let path = (tenantDirectory(slug) as NSString).appendingPathComponent("tenant.yml")
        let display = "\(slug)/tenant.yml"
        let bytes: [UInt8]
        do throws(ConfinedFileError) {
            bytes = try folder(slug).read("tenant.yml", maximumBytes: Self.maximumTextBytes)
        } catch {
            if error.kind == .missing { throw ContentErrors([ContentError(file: display, "no such tenant: \(path) does not exist")]) }
            throw ContentErrors([ContentError(file: error.path.isEmpty ? slug : "\(slug)/\(error.path)", error.reason)])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ContentErrors([ContentError(file: display, "not valid UTF-8 text")])
        }
        do {
            return try TenantConfigParser.parse(text, slug: slug, file: display)
        } catch {
            throw ContentErrors([error])
        }
    }

    /// Reads the whole tenant; every problem found is reported together.
    package func load(_ slug: String) throws(ContentErrors) -> SiteContent {
        let links = linkErrors(slug)
        if !links.isEmpty { throw ContentErrors(links) }
        let config = try loadConfig(slug)
        let files = contentFiles(slug)
        let results = ParallelMap.map(files) { file in parse(file, config: config) }
        return try assemble(config: config, items: results, staticFiles: { () throws(ContentErrors) in try staticFiles(slug) })
    }

    /// Builds the site from parse results, reporting every failure together; shared by full loads
    /// and by the daemon, which re-parses only the files that changed.
    /// Loads `slug` from its folder, with the items of `snapshots`' kinds taken from them (a KONI
    /// service's export) instead of the folder's files: assembled together, so duplicates and
    /// references (a folder tournament naming a service's athlete) are judged as for one source.
    package func load(_ slug: String, replacing snapshots: [ItemSnapshot]) throws(ContentErrors) -> SiteContent {
        let links = linkErrors(slug)
        if !links.isEmpty { throw ContentErrors(links) }
        let config = try loadConfig(slug)
        let replaced = Set(snapshots.map(\.kind))
        let files = contentFiles(slug).filter { !replaced.contains($0.kind) }
        let results = ParallelMap.map(files) { file in parse(file, config: config) }
        let supplied = snapshots.flatMap(\.items).map { Result<ParsedItem, ContentError>.success($0) }
        return try assemble(config: config, items: results + supplied, staticFiles: { () throws(ContentErrors) in try staticFiles(slug) })
    }

    package func assemble(
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
    package struct ContentFile: Sendable, Hashable {
        package var kind: ContentKind
        /// File name inside `content/<kind folder>/`.
        package var name: String

        package init(kind: ContentKind, name: String) {
            self.kind = kind
            self.name = name
        }

        package var relativePath: String { "content/\(kind.folder)/\(name)" }
    }

    /// Every Markdown file under `content/`, in a fixed order.
    package func contentFiles(_ slug: String) -> [ContentFile] {
        ContentKind.allCases.flatMap { kind in
            markdownFiles(in: "content/\(kind.folder)", slug: slug).map { ContentFile(kind: kind, name: $0) }
        }
    }

    /// Parses one content file; a missing file is reported as an error.
    package func parse(_ file: ContentFile, config: TenantConfig) -> Result<ParsedItem, ContentError> {
        let slug = config.slug
        let relative = "\(slug)/\(file.relativePath)"
        let bytes: [UInt8]
        do throws(ConfinedFileError) {
            bytes = try folder(slug).read(file.relativePath, maximumBytes: Self.maximumTextBytes)
        } catch {
            return .failure(ContentError(file: "\(slug)/\(error.path)", error.reason))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(ContentError(file: relative, "cannot be read as UTF-8 text"))
        }
        do throws(ContentError) {
            return .success(try ItemParser(timeZone: config.timeZone).parse(file.kind, text: text, file: relative))
        } catch {
            return .failure(error)
        }
    }

    /// The files of `static/`.
    package func staticFiles(_ slug: String) throws(ContentErrors) -> [StaticFile] {
        let folder = folder(slug)
        let walked: (files: [String], links: [String])
        do throws(ConfinedFileError) {
            walked = try folder.walk("static")
        } catch {
            throw ContentErrors([ContentError(file: "\(slug)/\(error.path)", error.reason)])
        }
        var errors = walked.links.map { ContentError(file: "\(slug)/\($0)", ConfinedFileError(path: $0, kind: .symbolicLink).reason) }
        var result: [StaticFile] = []
        for path in walked.files {
            let relative = String(path.dropFirst("static/".count))
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                if !((relative as NSString).lastPathComponent.hasPrefix(".")) {
                    errors.append(ContentError(file: "\(slug)/\(path)", "hidden path components are not allowed"))
                }
                continue
            }
            result.append(StaticFile(path: relative, sourcePath: "\(folder.root)/\(path)", confinedTo: folder.root))
        }
        if !errors.isEmpty { throw ContentErrors(errors) }
        return result
    }

    private func markdownFiles(in directory: String, slug: String) -> [String] {
        // Links are listed too: reading one fails with an error naming it. A folder that cannot
        // be listed (a link, not a folder) is listed as "", the folder itself, whose parse
        // fails naming it: silently listing nothing would delete every item of the kind.
        let entries: [(name: String, kind: ConfinedFolder.Kind)]
        do throws(ConfinedFileError) { entries = try folder(slug).entries(directory) } catch { return [""] }
        return entries.filter { $0.kind != .folder && $0.name.hasSuffix(".md") && !$0.name.hasPrefix(".") }.map(\.name)
    }
}
