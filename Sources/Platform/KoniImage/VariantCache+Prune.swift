import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension VariantCache {
    /// What a prune found and removed.
    package struct PruneReport: Sendable, Equatable {
        /// Photos whose variants were removed (or, in a dry run, would be).
        package var removedPhotos = 0
        package var removedBytes: Int64 = 0
        /// Photos kept because a release links one of their files, or because they are recent.
        package var keptPhotos = 0
    }

    /// Removes the variants of photos no release uses any more.
    ///
    /// Releases hard-link the cache's files, so a file whose link count is 1 is in no release on
    /// this file system. A photo is removed when none of its files is linked and none changed in
    /// the last `grace` (a build that has just encoded a photo links it a moment later). Removing is
    /// always safe for the live sites (each release holds its own link or copy); the cost is that a
    /// photo used again later is encoded again.
    package func prune(grace: Duration = .seconds(86_400), dryRun: Bool = false, now: Date = Date()) -> PruneReport {
        var report = PruneReport()
        let limit = now.addingTimeInterval(-Double(grace.components.seconds))
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for folder in folders where folder.count == 2 && folder.allSatisfy(\.isHexDigit) {
            let path = "\(directory)/\(folder)"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            var photos: [String: [String]] = [:]
            for name in names {
                let hash = String(name.prefix { $0.isHexDigit })
                guard hash.count == 32 else { continue }
                photos[hash, default: []].append(name)
            }
            for (_, files) in photos {
                var inUse = false
                var recent = false
                var bytes: Int64 = 0
                for name in files {
                    var info = stat()
                    guard lstat("\(path)/\(name)", &info) == 0 else { continue }
                    if info.st_nlink > 1 && !name.hasSuffix(".json") { inUse = true }
                    if Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec)) > limit { recent = true }
                    bytes += Int64(info.st_size)
                }
                if inUse || recent {
                    report.keptPhotos += 1
                    continue
                }
                report.removedPhotos += 1
                report.removedBytes += bytes
                guard !dryRun else { continue }
                // The manifest first: a reader that finds no manifest encodes again instead of
                // linking a variant that is about to go.
                for name in files.filter({ $0.hasSuffix(".json") }) + files.filter({ !$0.hasSuffix(".json") }) { unlink("\(path)/\(name)") }
            }
        }
        return report
    }
}
