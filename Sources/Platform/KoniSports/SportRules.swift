import KoniJSON

/// One sport's statistics: which keys an athlete's `stats` may have and their largest values
/// (chess `rating_elo`, football `goals` and `assists` …). The Athlete service keeps them in its
/// `sports` table; GMS checks a match's statistics against ``SportCatalog``, which a test keeps
/// equal to that table, so that a statistic GMS accepts is one the Athlete service can count.
public struct SportRules: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var key: String
        public var maximum: Int

        public init(key: String, maximum: Int) {
            self.key = key
            self.maximum = maximum
        }
    }

    public var code: String
    public var name: String
    public var fields: [Field]

    public init(code: String, name: String, fields: [Field]) {
        self.code = code
        self.name = name
        self.fields = fields
    }

    /// Checks `stats` (a JSON object of whole numbers) against the sport; the error names the key.
    public func validate(_ stats: [(key: String, value: JSONValue)], field: String = "stats") throws(FieldError) -> [(key: String, value: Int)] {
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
    public func adding(_ added: [(key: String, value: Int)], to stats: [(key: String, value: Int)]) -> [(key: String, value: Int)] {
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
