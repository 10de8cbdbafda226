import ArgumentParser

extension ArgumentHelp {
    /// The help line of a service setting: what it is, the environment variable that also sets
    /// it, and its default, so that `--help` is the service's one complete settings table.
    public static func setting(_ abstract: String, variable: String, default value: String? = nil, valueName: String) -> ArgumentHelp {
        ArgumentHelp("\(abstract) (\(variable)\(value.map { "; default \($0)" } ?? ""))", valueName: valueName)
    }
}
