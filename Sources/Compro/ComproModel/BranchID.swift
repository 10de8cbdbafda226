import Crypto
import Foundation

/// The id of a branch that the Tenant service has not registered yet: a name-based UUID
/// (RFC 9562 version 5) of its slug, so that every service that knows the branch only from its
/// tenant folder (the Auth service's SSO, `cms import`) agrees on the same id without asking
/// anyone. When the Tenant service exists, its ids win and this is only the default.
public enum BranchID {
    /// The namespace of KONI branch slugs (a random UUID fixed once; never change it, ids are stored).
    public static let namespace: [UInt8] = [
        0x6b, 0x0e, 0x4f, 0x51, 0x2d, 0x8a, 0x4c, 0x3e, 0x9a, 0x57, 0x1f, 0x0c, 0x55, 0x7d, 0x21, 0x90,
    ]

    /// The version-5 UUID of `slug` in ``namespace``.
    public static func derived(slug: String) -> UUID {
        var hasher = Insecure.SHA1()
        hasher.update(data: namespace)
        hasher.update(data: Array(slug.utf8))
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
