/// A CMS validation error, said in Indonesian beside its field. The CMS's reasons are English
/// sentences written for API clients and operators (`'x' is not a date; write 2026-11-24 …`); the
/// admin recognises the common ones and otherwise says what the field expects, and keeps the
/// CMS's sentence as a detail, so nothing the CMS said is lost.
enum AdminMessage {
    /// `reason` for `field` (nil when the form has no such field), in Indonesian.
    static func indonesian(_ reason: String, field: AdminField?) -> String {
        let lower = reason.lowercased()
        if lower.contains("slug") && (lower.contains("not allowed") || lower.contains("lowercase")) {
            return "Alamat (slug) hanya boleh huruf kecil a-z, angka dan satu tanda hubung di antaranya, misalnya juara-umum-porprov."
        }
        if lower.contains("required") || lower.contains("missing") { return "Wajib diisi." }
        if lower.contains("alt") && (lower.contains("image") || lower.contains("photo") || lower.contains("empty")) {
            return "Tulis teks alternatif gambar: apa yang terlihat, untuk pembaca layar."
        }
        if lower.contains("is not a date") || lower.contains("date") && lower.contains("before") {
            return lower.contains("before") ? "Tanggal selesai tidak boleh sebelum tanggal mulai." : "Tulis tanggal seperti 2026-11-24, atau tanggal dan jam."
        }
        if lower.contains("site path") || lower.contains("https://") || lower.contains("url") || lower.contains("scheme") {
            return "Tulis alamat di situs ini yang diawali / (misalnya /berita/) atau alamat lengkap yang diawali https://."
        }
        if lower.contains("email") { return "Tulis alamat email yang benar, misalnya humas@koni.id." }
        if lower.contains("plausible year") { return "Tulis tahun lahir yang masuk akal, misalnya 2004." }
        if lower.contains("whole number") || lower.contains("integer") || lower.contains("expected number") {
            return "Tulis angka bulat."
        }
        if lower.contains("longer than") || lower.contains("too long") || lower.contains("at most") || lower.contains("larger than") {
            return "Isian ini terlalu panjang."
        }
        switch field?.kind {
        case .url?: return "Tulis alamat di situs ini yang diawali / atau alamat lengkap yang diawali https://."
        case .number?: return "Tulis angka bulat."
        case .dateTime?, .dayOrTime?: return "Tulis tanggal seperti 2026-11-24, atau tanggal dan jam."
        case .image?: return "Tulis alamat gambar | teks alternatif, misalnya /images/juara.jpg | Para juara di podium."
        case .records?, .lines?: return "Periksa setiap baris: bagian-bagiannya dipisah dengan |."
        default: return "Isian ini tidak diterima."
        }
    }
}
