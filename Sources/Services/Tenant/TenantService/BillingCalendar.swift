import Foundation

/// Days as billing counts them: calendar days in Asia/Jakarta (WIB), written `YYYY-MM-DD`.
struct BillingCalendar: Sendable {
    /// "Now", injectable so that tests can move through months.
    let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Jakarta") ?? TimeZone(secondsFromGMT: 7 * 3600) ?? .current
        return calendar
    }

    /// Today in Jakarta.
    var today: String { Self.day(now()) }

    /// `days` after today.
    func today(plus days: Int) -> String {
        Self.day(Self.calendar.date(byAdding: .day, value: days, to: now()) ?? now())
    }

    static func day(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let year = parts.year ?? 1970
        let month = parts.month ?? 1
        let day = parts.day ?? 1
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }
}
