import ComproModel
import Foundation

extension Publisher {
    /// The archive layout of the live release, which the next full build of the tenant keeps so
    /// that its archive pages keep their numbers. Nil when nothing is live or the live release
    /// predates archive layouts.
    ///
    /// Only the release's own manifest is read (a layer carries the whole layout), and only its
    /// `archive` member is decoded.
    /// - Throws: when the live manifest cannot be read as one: a build that renumbered the
    ///   archive instead would move the items of every archive page without a word.
    public func liveArchiveLayout(_ slug: String) throws(PublishError) -> ArchiveLayout? {
        guard let release = currentRelease(slug) else { return nil }
        let path = "\(releasesDirectory(slug))/\(release)/\(ReleaseManifest.relativePath)"
        guard let data = FileManager.default.contents(atPath: path) else {
            // A live release without a manifest was not written by this publisher; there is no layout to keep.
            return nil
        }
        struct ArchiveOnly: Decodable { var archive: ArchiveLayout? }
        do {
            return try JSONDecoder().decode(ArchiveOnly.self, from: data).archive
        } catch {
            throw PublishError(
                path: path, reason: "cannot read the archive layout of the live release (\(error)); `build --renumber-archive` numbers the archive afresh"
            )
        }
    }
}
