// swift-tools-version: 6.1
import PackageDescription

// Layers, arrows one way:
// CGLPK → LinearModel → GLPKSolver → PlannerCore → planner (CLI)
let package = Package(
    name: "planner",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "planner", targets: ["planner"]),
        .library(name: "PlannerCore", targets: ["PlannerCore"]),
        .library(name: "LinearModel", targets: ["LinearModel"]),
        .library(name: "GLPKSolver", targets: ["GLPKSolver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // `planner serve` (docs/serve.md); the ConfigurationSupport trait is left off, as nothing here uses swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
        .target(name: "LinearModel"),
        .target(name: "GLPKSolver", dependencies: ["CGLPK", "LinearModel"]),
        .target(
            name: "PlannerCore",
            dependencies: ["LinearModel", "GLPKSolver", .product(name: "Yams", package: "Yams")]
        ),
        // The web page and JSON API of `planner serve`, over PlannerCore.
        .target(
            name: "PlannerServer",
            dependencies: [
                "PlannerCore", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "planner",
            dependencies: ["PlannerCore", "PlannerServer", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Shared by the test targets: a deterministic PRNG and a runner for the built executable.
        .target(name: "PlannerTestSupport", dependencies: ["PlannerCore"], path: "Tests/PlannerTestSupport"),
        .testTarget(name: "LinearModelTests", dependencies: ["LinearModel"]),
        .testTarget(name: "GLPKSolverTests", dependencies: ["GLPKSolver", "LinearModel"]),
        .testTarget(name: "PlannerCoreTests", dependencies: ["PlannerCore", "PlannerTestSupport", .product(name: "Yams", package: "Yams")]),
        // Golden/ holds expected outputs the tests read by path (GoldenTests), not bundle resources.
        .testTarget(name: "PlannerCLITests", dependencies: ["PlannerCore", "PlannerTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "PlannerServerTests", dependencies: ["PlannerServer", "PlannerCore", "PlannerTestSupport", .product(name: "Logging", package: "swift-log")]),
        // Mutation fuzzing and determinism/time-limit checks (docs/robustness.md); `make fuzz` runs more cases.
        .testTarget(name: "PlannerFuzzTests", dependencies: ["PlannerCore", "LinearModel", "PlannerTestSupport", .product(name: "Yams", package: "Yams")]),
    ]
)
