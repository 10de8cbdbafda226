import Hummingbird
import Logging

/// Requires `Authorization: Bearer <RS256 JWT>` and puts the verified ``Identity`` in the
/// context; anything else is 401 before the handler runs.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = KoniRequestContext
    let verifier: JWTVerifier

    public init(verifier: JWTVerifier) {
        self.verifier = verifier
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw APIError.unauthorized
        }
        switch await verifier.verify(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)) {
        case .success(let identity):
            var context = context
            context.identity = identity
            context.logger[metadataKey: "user"] = .string(identity.subject)
            return try await next(request, context)
        case .failure(let error):
            context.logger.notice("token refused", metadata: ["reason": .string(error.description)])
            var refusal = APIError.unauthorized
            if error == .expired { refusal.message = "the token has expired" }
            throw refusal
        }
    }
}
