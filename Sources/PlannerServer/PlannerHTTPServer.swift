import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PlannerCore

/// The HTTP side of `planner serve` (Hummingbird 2): the page at `/` and the JSON API under
/// `/api/` (docs/serve.md, docs/serve-openapi.yaml). Every handler reads its input from the request
/// body and query only; ``PlannerService`` does the work.
@available(macOS 14, *)
public enum PlannerHTTPServer {
    /// The routes, for ``application(service:initialSpec:onRunning:logger:)`` and for tests.
    /// `initialSpec` is the spec the page opens with and the file name it was read from (shown in
    /// the plan as `planner solve` shows it); the built-in example when nil.
    public static func router(service: PlannerService, initialSpec: (text: String, file: String)? = nil) -> Router<BasicRequestContext> {
        let router = Router()
        let page = Page.html(
            initialSpec: initialSpec?.text ?? Page.defaultSpec, file: PlannerService.fileName(initialSpec?.file ?? "chat-8b.yaml"),
            settableKeys: Spec.settableKeys)
        let limit = service.configuration.maximumBodyBytes

        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        }
        router.post("/api/validate") { request, _ in
            let body = try await Self.body(request, limit: limit)
            return Self.response(service.validate(yaml: body, file: request.uri.queryParameters.get("file")))
        }
        router.post("/api/solve") { request, _ in
            let body = try await Self.body(request, limit: limit)
            let query = request.uri.queryParameters
            return Self.response(await service.solve(yaml: body, file: query.get("file"), format: query.get("format")))
        }
        router.post("/api/sweep") { request, _ in
            let body = try await Self.body(request, limit: limit)
            let query = request.uri.queryParameters
            return Self.response(await service.sweep(
                yaml: body, vary: query.getAll("vary"), measure: query.get("measure"), format: query.get("format"), file: query.get("file")))
        }
        router.get("/api/catalog") { _, _ in
            Self.response(service.catalogList())
        }
        return router
    }

    /// The application: binds `configuration.host:port` and, once listening, calls `onRunning`
    /// with the URL. `runService()` on it serves until SIGINT or SIGTERM, then finishes the
    /// requests in flight and returns.
    public static func application(
        service: PlannerService, initialSpec: (text: String, file: String)? = nil, onRunning: @escaping @Sendable (String) -> Void = { _ in },
        logger: Logger? = nil
    ) -> some ApplicationProtocol {
        let configuration = service.configuration
        let host = configuration.host
        return Application(
            router: router(service: service, initialSpec: initialSpec),
            configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port), serverName: "planner"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                let shownHost = host.contains(":") ? "[\(host)]" : host
                onRunning("http://\(shownHost):\(port)/")
            },
            logger: logger ?? {
                var quiet = Logger(label: "planner-serve")
                quiet.logLevel = .warning
                return quiet
            }()
        )
    }

    /// The body as text; 413 when longer than `limit` bytes (before anything is parsed).
    static func body(_ request: Request, limit: Int) async throws -> String {
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return String(buffer: buffer)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "the request body is larger than \(limit) bytes; a spec is a few kilobytes")
        }
    }

    static func response(_ api: APIResponse) -> Response {
        var headers: HTTPFields = [.contentType: api.contentType, .cacheControl: "no-store"]
        if let status = api.planStatus, let name = HTTPField.Name("X-Planner-Status") { headers[name] = status }
        return Response(status: HTTPResponse.Status(code: api.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: api.body)))
    }
}
