import Foundation

/// Reads a published site the way Nginx serves it: a path comes from the release, unless the
/// release is a layer and the path is absent there, in which case it comes from the base
/// (unless the layer marks it gone).
///
/// Open it on a resolved release folder (resolve `current` once) to read one consistent
/// generation, whatever swaps happen meanwhile.
public struct ReleaseReader: Sendable {
    public let root: String
    public let baseRoot: String?
    private let gone: Set<String>

    /// Opens the release `current` points to now.
    public init(currentLink: String) throws {
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: currentLink)
        let directory = (currentLink as NSString).deletingLastPathComponent
        try self.init(releaseDirectory: target.hasPrefix("/") ? target : "\(directory)/\(target)")
    }

    public init(releaseDirectory: String) throws {
        root = releaseDirectory
        let baseLink = "\(releaseDirectory)/.koni/base"
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: baseLink)
        if target == ".." {
            baseRoot = nil
            gone = []
        } else {
            baseRoot = ((releaseDirectory as NSString).appendingPathComponent(".koni") as NSString).appendingPathComponent(target)
            gone = Set(Self.files(under: "\(releaseDirectory)/.koni/gone"))
        }
    }

    /// The bytes served at `path` (relative, e.g. `berita/index.html`), or nil for a 404.
    public func read(_ path: String) -> Data? {
        if let data = FileManager.default.contents(atPath: "\(root)/\(path)") { return data }
        guard let baseRoot, !gone.contains(path), !gone.contains(path.hasSuffix(".gz") ? String(path.dropLast(3)) : path) else { return nil }
        return FileManager.default.contents(atPath: "\(baseRoot)/\(path)")
    }

    /// Every path the site serves.
    public func allPaths() -> Set<String> {
        var paths = Set(Self.files(under: root).filter { !$0.hasPrefix(".koni/") })
        if let baseRoot {
            for path in Self.files(under: baseRoot) where !path.hasPrefix(".koni/") {
                let page = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
                if !gone.contains(page) { paths.insert(path) }
            }
        }
        return paths
    }

    static func files(under directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var result: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(directory)/\(relative)", isDirectory: &isDirectory), !isDirectory.boolValue {
                result.append(relative)
            }
        }
        return result
    }
}
