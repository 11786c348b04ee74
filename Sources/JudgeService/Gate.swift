import Foundation
import Hummingbird

/// Before every route: the bearer token (when the service has one; the
/// probes need none), and after it the request's metrics.
struct Gate: RouterMiddleware {
  typealias Context = BasicRequestContext
  let server: JudgeServer
  static let open: Set<String> = ["/healthz", "/readyz"]

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    let route = request.uri.path
    var status = 500
    defer { server.metrics.request(route: route, status: status, duration: ContinuousClock.now - start) }
    // A body declared larger than the cap is refused before a byte of it
    // is read (and the connection closed: it is not read either).
    if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > server.settings.maxBodyBytes {
      status = 413
      return JudgeServer.closing(
        JudgeServer.json(
          .object([("error", .string("the body is larger than \(server.settings.maxBodyBytes) bytes"))]),
          status: .contentTooLarge))
    }
    if let token = server.settings.token, !Self.open.contains(route),
      !Self.matches(request.headers[.authorization], token: token)
    {
      status = 401
      var response = JudgeServer.json(
        .object([("error", .string("a missing or wrong bearer token (Authorization: Bearer ...)"))]),
        status: .unauthorized)
      response.headers[.wwwAuthenticate] = "Bearer"
      return response
    }
    do {
      let response = try await next(request, context)
      status = response.status.code
      if status == 429 { server.metrics.refused.increment() }
      return response
    } catch let error as HTTPError {
      status = error.status.code
      throw error
    } catch is CancellationError {
      status = 499  // the client went away: nothing was answered
      throw CancellationError()
    }
  }

  /// Whether `header` is `Bearer <token>`, compared in time that does not
  /// depend on where the first difference is.
  static func matches(_ header: String?, token: String) -> Bool {
    // The scheme's name is case-insensitive (RFC 9110).
    guard let header, header.lowercased().hasPrefix("bearer ") else { return false }
    let given = Array(header.utf8.dropFirst("Bearer ".count))
    let wanted = Array(token.utf8)
    var difference = given.count ^ wanted.count
    for index in wanted.indices { difference |= Int(wanted[index] ^ (index < given.count ? given[index] : 0)) }
    return difference == 0
  }
}
