/// A point in time as written by a content author, kept with the UTC offset of the tenant's
/// time zone so it can be shown in local time.
///
/// Indonesia's three zones (WIB +7, WITA +8, WIT +9) have no daylight saving, so local time is
/// plain arithmetic on the offset; no calendar database is involved and output is reproducible.
public struct SiteDate: Sendable, Hashable, Comparable, Codable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var epochSeconds: Int64
    /// Offset of the displayed local time from UTC, in seconds.
    public var offsetSeconds: Int32
    /// Whether the author gave a time of day (`2026-11-24 09:30`) or only a date.
    public var hasTime: Bool

    public init(epochSeconds: Int64, offsetSeconds: Int32, hasTime: Bool) {
        self.epochSeconds = epochSeconds
        self.offsetSeconds = offsetSeconds
        self.hasTime = hasTime
    }

    public static func < (lhs: SiteDate, rhs: SiteDate) -> Bool {
        lhs.epochSeconds < rhs.epochSeconds
    }

    /// Calendar fields in local time.
    public struct Components: Sendable, Hashable {
        public var year: Int
        public var month: Int
        public var day: Int
        public var hour: Int
        public var minute: Int
        public var second: Int
        /// 0 = Sunday … 6 = Saturday.
        public var weekday: Int
    }

    public var local: Components {
        let localSeconds = epochSeconds + Int64(offsetSeconds)
        let days = Int(localSeconds.floorDiv(86_400))
        let secondOfDay = Int(localSeconds - Int64(days) * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        return Components(
            year: year, month: month, day: day,
            hour: secondOfDay / 3600, minute: (secondOfDay % 3600) / 60, second: secondOfDay % 60,
            weekday: weekday
        )
    }

    /// The local calendar day as a number, for "is this event still upcoming" comparisons.
    public var localDayNumber: Int {
        Int((epochSeconds + Int64(offsetSeconds)).floorDiv(86_400))
    }

    /// RFC 3339 with the local offset, e.g. `2026-11-24T09:30:00+07:00`.
    public var rfc3339: String {
        let c = local
        let sign = offsetSeconds < 0 ? "-" : "+"
        let offset = abs(Int(offsetSeconds))
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))"
            + "\(sign)\(pad(offset / 3600)):\(pad((offset % 3600) / 60))"
    }

    /// `2026-11-24`, the value for `<time datetime>` when no time of day was given.
    public var isoDay: String {
        let c = local
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))"
    }

    /// `datetime` attribute value: a day, or a full timestamp when a time was given.
    public var htmlDateTime: String { hasTime ? rfc3339 : isoDay }

    // MARK: Parsing

    /// Parses `2026-11-24`, `2026-11-24 09:30`, `2026-11-24T09:30:00`, optionally followed by
    /// `Z` or `±HH:MM`. Without an explicit offset the date is in `defaultOffsetSeconds`.
    public static func parse(_ text: String, defaultOffsetSeconds: Int32) -> SiteDate? {
        let bytes = Array(text.trimmingSpaces.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let byte = bytes[index + offset]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ ascii: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == ascii else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2) else {
            return nil
        }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0
        var hasTime = false
        var offset = defaultOffsetSeconds
        if index < bytes.count {
            guard expect(84) || expect(32) else { return nil }  // "T" or " "
            guard let h = number(2), expect(58), let m = number(2) else { return nil }
            hour = h
            minute = m
            if expect(58) {
                guard let s = number(2) else { return nil }
                second = s
                if expect(46) { while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 } }
            }
            guard hour < 24, minute < 60, second < 61 else { return nil }
            hasTime = true
            if index < bytes.count {
                if expect(90) || expect(122) {  // Z / z
                    offset = 0
                } else {
                    let sign: Int32
                    if expect(43) { sign = 1 } else if expect(45) { sign = -1 } else { return nil }
                    guard let oh = number(2) else { return nil }
                    _ = expect(58)
                    guard let om = number(2), oh < 24, om < 60 else { return nil }
                    offset = sign * Int32(oh * 3600 + om * 60)
                }
            }
            guard index == bytes.count else { return nil }
        }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let localSeconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return SiteDate(epochSeconds: localSeconds - Int64(offset), offsetSeconds: offset, hasTime: hasTime)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

private func pad(_ value: Int, _ width: Int = 2) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

extension Int64 {
    fileprivate func floorDiv(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

extension String {
    var trimmingSpaces: Substring {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return slice
    }
}

/// The time zones a tenant may publish in.
public enum SiteTimeZone: String, Sendable, CaseIterable, Codable {
    case jakarta = "Asia/Jakarta"
    case makassar = "Asia/Makassar"
    case jayapura = "Asia/Jayapura"

    public var offsetSeconds: Int32 {
        switch self {
        case .jakarta: 7 * 3600
        case .makassar: 8 * 3600
        case .jayapura: 9 * 3600
        }
    }

    /// The locale-strings key of the zone's abbreviation (WIB, WITA, WIT).
    public var abbreviationKey: String {
        switch self {
        case .jakarta: "time_zone_wib"
        case .makassar: "time_zone_wita"
        case .jayapura: "time_zone_wit"
        }
    }
}
