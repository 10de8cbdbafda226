import ComproModel
import KoniJSON

/// The manifest as JSON, written by hand: `JSONEncoder` took 3 % of a 10,000-page build on one
/// core while the other idled, and the daemon writes a manifest on every publish. The text is
/// what `JSONDecoder` reads back into the same value (keys sorted, so equal manifests are equal
/// bytes); ``ReleaseManifestJSONTests`` checks the round trip.
extension ReleaseManifest {
    /// The manifest's JSON text as UTF-8 bytes.
    ///
    /// `cachedOutputs` holds outputs already written as JSON (``Output/jsonBytes()``) by path;
    /// they are copied instead of written again. The daemon rewrites its layer's manifest on
    /// every publish, and the entries of the outputs changed in earlier publishes were most of it.
    /// The caller vouches that each cached text is the one of the manifest's entry.
    /// `cachedArchive`, likewise, is ``archive`` already written (``ArchiveLayout/jsonBytes()``):
    /// it changes only when an archive page closes.
    public func jsonBytes(cachedOutputs: [String: [UInt8]] = [:], cachedArchive: [UInt8]? = nil) -> [UInt8] {
        var writer = ManifestJSONWriter()
        writer.bytes.reserveCapacity(256 + outputs.count * 512)
        writer.open()
        if let archive {
            writer.key("archive")
            if let cachedArchive { writer.bytes.append(contentsOf: cachedArchive) } else { writer.archive(archive) }
        }
        writer.key("base")
        if let base { writer.string(base) } else { writer.raw("null") }
        writer.key("format")
        writer.raw(String(format))
        writer.key("outputs")
        writer.open()
        for (path, output) in outputs.sorted(by: { $0.key < $1.key }) {
            writer.key(path)
            if let cached = cachedOutputs[path] { writer.bytes.append(contentsOf: cached) } else { writer.output(output) }
        }
        writer.close()
        writer.key("release")
        writer.string(release)
        writer.key("removedOutputs")
        writer.strings(removedOutputs)
        writer.key("removedRevisions")
        writer.strings(removedRevisions)
        writer.key("revisions")
        writer.object(revisions) { writer, revision in writer.string(revision) }
        writer.key("staticFiles")
        writer.object(staticFiles) { writer, source in writer.string(source) }
        writer.key("tenant")
        writer.string(tenant)
        writer.key("today")
        writer.raw(String(today))
        writer.close()
        return writer.bytes
    }
}

extension ArchiveLayout {
    /// The layout's JSON text, as the manifest writes it.
    public func jsonBytes() -> [UInt8] {
        var writer = ManifestJSONWriter()
        writer.archive(self)
        return writer.bytes
    }
}

extension ReleaseManifest.Output {
    /// The entry's JSON text, as the manifest writes it.
    public func jsonBytes() -> [UInt8] {
        var writer = ManifestJSONWriter()
        writer.output(self)
        return writer.bytes
    }
}

/// Appends JSON to a byte buffer; commas are placed by `key` and array elements.
struct ManifestJSONWriter {
    var bytes: [UInt8] = []
    /// Per open object or array: whether it has an element yet.
    private var hasElement: [Bool] = []

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func open() {
        bytes.append(UInt8(ascii: "{"))
        hasElement.append(false)
    }

    mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        hasElement.removeLast()
    }

    mutating func key(_ name: String) {
        separate()
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func object<Value>(_ dictionary: [String: Value], _ value: (inout ManifestJSONWriter, Value) -> Void) {
        open()
        for (key, element) in dictionary.sorted(by: { $0.key < $1.key }) {
            self.key(key)
            value(&self, element)
        }
        close()
    }

    mutating func strings(_ array: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (position, element) in array.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            string(element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func archive(_ layout: ArchiveLayout) {
        open()
        key("news")
        strings(layout.news.map(\.description))
        key("perPage")
        raw(String(layout.perPage))
        key("tags")
        object(layout.tags) { writer, keys in writer.strings(keys.map(\.description)) }
        close()
    }

    mutating func output(_ output: ReleaseManifest.Output) {
        open()
        key("items")
        strings(output.items)
        key("queries")
        object(output.queries) { writer, answer in writer.strings(answer) }
        key("sha256")
        string(output.sha256)
        if let url = output.url {
            key("url")
            string(url)
        }
        close()
    }

    private mutating func separate() {
        guard let last = hasElement.indices.last else { return }
        if hasElement[last] { bytes.append(UInt8(ascii: ",")) }
        hasElement[last] = true
    }

    mutating func string(_ text: String) { JSONValue.writeString(text, into: &bytes) }
}
