/// Where a service keeps files (Media's photographs): bytes under a key such as
/// `<tenant-id>/<file-id>/original`. Two implementations: ``FileSystemStorage`` (the default, one
/// folder) and ``S3Storage`` (any S3-compatible store: AWS, MinIO as in the seed, moto in tests).
package protocol ObjectStorage: Sendable {
    /// Stores the file at `path` (on this machine) under `key`, replacing what was there.
    func put(key: String, file path: String, contentType: String) async throws(StorageError)
    /// The bytes under `key`; more than `maximumBytes` is an error.
    func get(key: String, maximumBytes: Int) async throws(StorageError) -> [UInt8]
    /// Removes `key`; removing a key that is not there is not an error.
    func delete(key: String) async throws(StorageError)
    /// Says what the store is, for logs and `/readyz` (never a secret).
    var description: String { get }
}

/// Why a storage operation failed, with the key.
package struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        case notFound
        case tooLarge
        case invalidKey
        /// The store refused or could not be reached (the reason says which).
        case unavailable
    }

    package var key: String
    package var kind: Kind
    package var reason: String

    package init(key: String, kind: Kind, reason: String) {
        self.key = key
        self.kind = kind
        self.reason = reason
    }

    package var description: String { "\(key): \(reason)" }
}

/// Keys are made by services from ids, never from user input; they are checked all the same, so
/// that a bug cannot turn into a path outside the store's folder or another bucket's object.
enum StorageKey {
    static let maximumBytes = 512

    static func check(_ key: String) throws(StorageError) {
        let allowed = key.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
                || byte == 0x2E || byte == 0x2F
        }
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.isEmpty, key.utf8.count <= maximumBytes, allowed,
            !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
        else {
            throw StorageError(
                key: String(key.prefix(80)), kind: .invalidKey, reason: "not a storage key (letters, digits, - _ . and / between non-empty parts)")
        }
    }
}
