import ComproModel
import Foundation
import KoniStorage

/// The Media service as a source of photos for the build. Content names a file of the branch's
/// library as `/media/<file-id>/<name>` (a cover, a gallery photo, a section image); the build
/// fetches its original once over the service's `/internal` route (with the service key) into the
/// variant cache's `originals/` folder, and from there it is a photo like one under `static/`:
/// variants, card, the stripped widest JPEG at its own path.
///
/// A file's bytes never change under its id (a new upload is a new id), so an original fetched
/// once is never fetched again.
package struct MediaLibrary: Sendable {
    /// `http://media.internal:8008`.
    package var baseURL: String
    package var serviceKey: String

    package init(baseURL: String, serviceKey: String) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.serviceKey = serviceKey
    }

    /// From `KONI_MEDIA_URL` and `KONI_MEDIA_SERVICE_KEY` (or `KONI_MEDIA_SERVICE_KEY_FILE`); nil
    /// when no URL is set.
    package static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> MediaLibrary? {
        guard let url = environment["KONI_MEDIA_URL"], !url.isEmpty else { return nil }
        let key =
            environment["KONI_MEDIA_SERVICE_KEY"]
            ?? environment["KONI_MEDIA_SERVICE_KEY_FILE"].flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        return MediaLibrary(baseURL: url, serviceKey: key.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The file id and name of a `/media/<uuid>/<name>` source, nil for any other source.
    static func reference(_ src: String) -> (id: String, name: String)? {
        // Most sources are site paths: refused before splitting (the daemon asks for every image
        // of a 100,000-item branch on each change).
        guard src.utf8.starts(with: "/media/".utf8) else { return nil }
        let parts = src.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, parts[1] == "media", let id = UUID(uuidString: String(parts[2])) else { return nil }
        let name = String(parts[3])
        guard (1...100).contains(name.utf8.count), !name.hasPrefix("."),
            name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E })
        else { return nil }
        return (id.uuidString.lowercased(), name)
    }

    /// The original of file `id` of `tenant`, fetched into `folder` unless it is there already.
    func original(tenant: String, id: String, into folder: String, maximumBytes: Int) throws(ContentError) -> String {
        let path = "\(folder)/\(tenant)/\(id)"
        if FileManager.default.fileExists(atPath: path) { return path }
        let answer: BlockingHTTP.Answer
        do {
            answer = try BlockingHTTP.get(
                "\(baseURL)/internal/v1/media/sites/\(tenant)/files/\(id)/original", header: "X-Koni-Service-Key: \(serviceKey)", maximumBytes: maximumBytes
            )
        } catch {
            throw ContentError(file: "/media/\(id)", "the Media service cannot be reached: \(error.reason)")
        }
        guard answer.status == 200 else {
            let reason =
                switch answer.status {
                case 404: "is not in \(tenant)'s media library"
                case 409: "has no alt text in \(tenant)'s media library; add it there before a page shows the photo"
                default: "could not be read (the Media service answered \(answer.status))"
                }
            throw ContentError(file: "/media/\(id)", "the file \(reason)")
        }
        do {
            try FileManager.default.createDirectory(atPath: "\(folder)/\(tenant)", withIntermediateDirectories: true)
            let temporary = "\(path).\(UUID().uuidString).tmp"
            try Data(answer.body).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else {
                unlink(temporary)
                throw ContentError(file: path, "cannot keep the fetched original")
            }
        } catch let error as ContentError {
            throw error
        } catch {
            throw ContentError(file: path, "cannot keep the fetched original: \(error.localizedDescription)")
        }
        return path
    }
}
