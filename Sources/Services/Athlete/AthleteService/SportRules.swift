import KoniJSON

/// One sport's statistics: which keys an athlete's `stats` may have and their largest values
/// (chess `rating_elo`, football `goals` and `assists` …), from the `sports` table.
struct SportRules: Sendable {
    struct Field: Sendable {
        var key: String
        var maximum: Int
    }

    var code: String
    var name: String
    var fields: [Field]

    /// Checks `stats` (a JSON object of whole numbers) against the sport; the error names the key.
    func validate(_ stats: [(key: String, value: JSONValue)], field: String = "stats") throws(FieldError) -> [(key: String, value: Int)] {
        guard stats.count <= fields.count else { throw FieldError(field: field, reason: "more keys than \(name) has") }
        var result: [(key: String, value: Int)] = []
        for (key, value) in stats {
            guard let rule = fields.first(where: { $0.key == key }) else {
                throw FieldError(field: "\(field).\(key.prefix(40))", reason: "not a statistic of \(name); known: \(fields.map(\.key).joined(separator: ", "))")
            }
            guard case .number(let number) = value, number.rounded() == number, number >= 0, number <= Double(rule.maximum) else {
                throw FieldError(field: "\(field).\(key)", reason: "a whole number from 0 to \(rule.maximum)")
            }
            result.append((key, Int(number)))
        }
        return result
    }

    /// `stats` plus `added`, each key capped at its maximum (a match cannot push a number past it).
    func adding(_ added: [(key: String, value: Int)], to stats: [(key: String, value: Int)]) -> [(key: String, value: Int)] {
        var result = stats
        for (key, value) in added {
            let maximum = fields.first { $0.key == key }?.maximum ?? 0
            if let index = result.firstIndex(where: { $0.key == key }) {
                result[index].value = min(maximum, result[index].value + value)
            } else {
                result.append((key, min(maximum, value)))
            }
        }
        return result
    }
}
