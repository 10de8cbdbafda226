/// An event type, also the routing key: `cms.page_updated`, `user.registered`, …
///
/// The catalogue of `shared/MISSION.md` is spelled here once, as constants; a type from outside
/// the catalogue is still representable (a consumer reads what producers send).
public struct EventType: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    /// The part before the first dot: the producing domain (`cms`, `tenant`, …).
    public var domain: Substring { rawValue.prefix { $0 != "." } }

    public static let userRegistered: EventType = "user.registered"
    public static let userRoleChanged: EventType = "user.role_changed"
    public static let tenantCreated: EventType = "tenant.created"
    public static let tenantUpdated: EventType = "tenant.updated"
    public static let tenantSuspended: EventType = "tenant.suspended"
    public static let tenantSubscriptionPaid: EventType = "tenant.subscription_paid"
    public static let cmsPageUpdated: EventType = "cms.page_updated"
    public static let cmsNewsPublished: EventType = "cms.news_published"
    public static let mediaUpdated: EventType = "media.updated"
    public static let athleteRegistered: EventType = "athlete.registered"
    public static let athleteUpdated: EventType = "athlete.updated"
    public static let tournamentCreated: EventType = "tournament.created"
    public static let tournamentUpdated: EventType = "tournament.updated"
    public static let matchCompleted: EventType = "match.completed"
    public static let paymentSucceeded: EventType = "payment.succeeded"
    public static let paymentFailed: EventType = "payment.failed"
    public static let paymentRefunded: EventType = "payment.refunded"
    public static let orderPaid: EventType = "order.paid"
    public static let orderShipped: EventType = "order.shipped"
    public static let bookingConfirmed: EventType = "booking.confirmed"

    /// Every type of the catalogue.
    public static let catalogue: [EventType] = [
        .userRegistered, .userRoleChanged, .tenantCreated, .tenantUpdated, .tenantSuspended, .tenantSubscriptionPaid,
        .cmsPageUpdated, .cmsNewsPublished, .mediaUpdated, .athleteRegistered, .athleteUpdated, .tournamentCreated,
        .tournamentUpdated, .matchCompleted, .paymentSucceeded, .paymentFailed, .paymentRefunded, .orderPaid, .orderShipped,
        .bookingConfirmed,
    ]
}
