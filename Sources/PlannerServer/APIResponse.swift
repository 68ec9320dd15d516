import Foundation
import PlannerCore

/// What an API call answers, before HTTP: a status code, a media type and the body text.
public struct APIResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: String
    /// The plan's status (`optimal`, `infeasible`, …) for a solve, sent as `X-Planner-Status`.
    public var planStatus: String?

    public init(status: Int, contentType: String, body: String, planStatus: String? = nil) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.planStatus = planStatus
    }

    static func json(_ body: String, status: Int = 200) -> APIResponse {
        APIResponse(status: status, contentType: "application/json; charset=utf-8", body: body)
    }

    /// `{"errors": [...]}`: each problem with its line and column in the request body (no file
    /// name: the spec came in the request), the spec key it concerns (`field`), the message, and
    /// `text`, the line `planner validate` prints less its file name.
    static func errors(_ errors: [APIError], status: Int = 400) -> APIResponse {
        json(encode(ErrorsDocument(errors: errors)), status: status)
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private struct ErrorsDocument: Encodable { var errors: [APIError] }
}

/// One problem with a request, as the API reports it.
public struct APIError: Codable, Sendable, Equatable {
    /// 1-based line and column in the spec; absent for problems that are not in the spec (a query parameter).
    public var line: Int?
    public var column: Int?
    /// The spec key (`workload.concurrency`) or query parameter (`vary`) at fault; empty for the whole spec.
    public var field: String
    public var message: String
    /// `line:column: field: message`, or `field: message` without a place.
    public var text: String

    public init(line: Int?, column: Int?, field: String, message: String) {
        self.line = line
        self.column = column
        self.field = field
        self.message = message
        let place = line.map { "\($0):\(column ?? 1): " } ?? ""
        text = place + (field.isEmpty ? message : "\(field): \(message)")
    }

    /// A validator diagnostic, without its file.
    public init(_ diagnostic: Diagnostic) {
        self.init(line: diagnostic.line, column: diagnostic.column, field: diagnostic.keyPath, message: diagnostic.message)
    }
}
