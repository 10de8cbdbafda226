import PostgresNIO

/// Collects bind values for SQL assembled at run time and hands out their `$n` placeholders.
struct SQLBinds {
    private(set) var bindings = PostgresBindings()
    private(set) var count = 0

    /// Appends `value` and returns its placeholder, e.g. `$3`.
    mutating func add<Value: PostgresEncodable>(_ value: Value) throws -> String {
        try bindings.append(value)
        count += 1
        return "$\(count)"
    }

    mutating func add<Value: PostgresEncodable>(_ value: Value?) throws -> String {
        if let value { return try add(value) }
        bindings.appendNull()
        count += 1
        return "$\(count)"
    }

    func query(_ sql: String) -> PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: bindings) }
}
