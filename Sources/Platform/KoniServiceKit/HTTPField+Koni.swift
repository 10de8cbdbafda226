import HTTPTypes

extension HTTPField.Name {
    /// Fetch metadata: `same-origin`, `same-site`, `cross-site` or `none`; forms refuse `cross-site`.
    public static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    public static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    /// The client address Nginx sets; read only from a trusted proxy.
    public static let xRealIP = HTTPField.Name("X-Real-IP")!
}
