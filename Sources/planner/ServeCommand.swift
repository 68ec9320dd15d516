import ArgumentParser
import Foundation
import PlannerCore
import PlannerServer

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a local web page to edit a spec and see its plan, sweeps and BOM as you type.",
        discussion: """
            Starts an HTTP server (on loopback unless --host says otherwise) and prints its URL. The page \
            shows the spec as a form and as YAML, the plan solved again after each edit, a sweep panel \
            with the Pareto frontier, and downloads of the spec, the BOM (CSV) and the report (HTML). \
            Its JSON API (POST /api/validate, /api/solve, /api/sweep; GET /api/catalog) answers what \
            `planner validate`, `solve --format json`, `sweep --format json` and `catalog list --format \
            json` print; see docs/serve.md. Requests never read files: the catalog is loaded at start, \
            specs come in the request body. Ctrl-C (SIGINT) or SIGTERM stops it after the requests in \
            flight are answered.

            Example: planner serve examples/chat-8b.yaml
            Example: planner serve --port 9000 --catalog my-prices/
            """
    )

    @Argument(help: ArgumentHelp("The spec the page opens with (YAML; default: examples/chat-8b.yaml's text, built in).", valueName: "spec"))
    var specPath: String?

    @Option(help: "The TCP port (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "The address to listen on. Anything but loopback lets other machines use the server: there is no authentication.")
    var host: String = "127.0.0.1"

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Solver time limit per request, in seconds (a sweep's points share it).", valueName: "seconds"))
    var timeLimit: Double = 10

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535 (got \(port))") }
        guard !host.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--host must name an address, e.g. 127.0.0.1") }
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= 3_600 else {
            throw ValidationError("--time-limit must be a number of seconds between 0 and 3600 (got \(timeLimit))")
        }
    }

    func run() throws {
        let catalog = try loadCatalog(catalogOptions)
        var initialSpec: (text: String, file: String)?
        if let specPath {
            guard let data = FileManager.default.contents(atPath: specPath) else {
                throw UserError(message: LoadError.fileNotFound(specPath).localizedDescription)
            }
            initialSpec = (String(decoding: data, as: UTF8.self), specPath)
        }
        let service = PlannerService(catalog: catalog, configuration: ServeSettings(host: host, port: port, timeLimitSeconds: timeLimit))
        let app = PlannerHTTPServer.application(service: service, initialSpec: initialSpec) { url in
            // Unbuffered, so a script reading the URL gets it at once.
            FileHandle.standardOutput.write(Data("planner serve: \(url) (Ctrl-C to stop)\n".utf8))
        }
        // ArgumentParser's synchronous run() waits here while the server runs on Swift's concurrency pool.
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await app.runService() } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            throw UserError(message: "cannot serve on \(host):\(port): \(error); pick another --port or --host")
        }
    }

    private final class Outcome: @unchecked Sendable { var error: (any Error)? }
}
