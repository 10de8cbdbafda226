/// Escaping for text placed in XML and HTML, done on UTF-8 bytes: this runs for every string of
/// every page, and a byte loop is several times faster than a Character-by-Character one.
public enum XMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'`.
    public static func escape(_ text: String) -> String {
        var needsWork = false
        for byte in text.utf8 where byte == 38 || byte == 60 || byte == 62 || byte == 34 || byte == 39 {
            needsWork = true
            break
        }
        if !needsWork { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 38: out.append(contentsOf: Array("&amp;".utf8))
            case 60: out.append(contentsOf: Array("&lt;".utf8))
            case 62: out.append(contentsOf: Array("&gt;".utf8))
            case 34: out.append(contentsOf: Array("&quot;".utf8))
            case 39: out.append(contentsOf: Array("&#39;".utf8))
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
