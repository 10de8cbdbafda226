/// The shared secret that protects `/internal/…` routes between services (never routed by the
/// gateway): sent by ``ServiceClient`` in ``headerName`` and checked by the kit's
/// `ServiceKeyMiddleware`.
public enum ServiceKey {
    public static let headerName = "X-Koni-Service-Key"
    /// The shortest key accepted (a 256-bit secret as hex is 64 characters).
    public static let minimumBytes = 32
}
