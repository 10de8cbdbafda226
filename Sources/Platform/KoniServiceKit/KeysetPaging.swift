import Foundation
import Hummingbird

/// Keyset paging as every KONI list answers it: `?limit=` (1…100, default 50) and `?after=`,
/// the `next` of the previous page (`<created_at in microseconds>_<id>`), so that a page costs
/// the same however deep it is and rows added meanwhile neither repeat nor vanish.
public enum KeysetPaging {
    /// `?limit=`: 1…100, default 50.
    public static func limit(_ request: Request) throws(APIError) -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return 50 }
        guard let value = Int(text), (1...100).contains(value) else { throw APIError.badRequest("invalid_limit", "limit must be 1 to 100", field: "limit") }
        return value
    }

    /// `?after=`: the position after which the page starts; nil for the first page.
    public static func after(_ request: Request) throws(APIError) -> (Date, UUID)? {
        guard let text = request.uri.queryParameters.get("after"), !text.isEmpty else { return nil }
        let parts = text.split(separator: "_")
        guard parts.count == 2, parts[0].count <= 20, let micros = Int64(parts[0]), micros >= 0, micros < 10_000_000_000_000_000,
            let id = UUID(uuidString: String(parts[1]))
        else { throw APIError.badRequest("invalid_cursor", "after must be the next value of a previous page", field: "after") }
        return (Date(timeIntervalSince1970: Double(micros) / 1_000_000), id)
    }

    /// The `next` of a page whose last row is (`createdAt`, `id`).
    public static func cursor(createdAt: Date, id: UUID) -> String {
        "\(Int64((createdAt.timeIntervalSince1970 * 1_000_000).rounded()))_\(id.uuidString.lowercased())"
    }
}
