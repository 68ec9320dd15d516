import ArgumentParser
import PlannerCore

@main
struct Planner: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planner",
        abstract: "Plan the hardware to buy to serve a large language model.",
        version: PlannerVersion.current
    )
}
