import Foundation

/// One run of ``PlanChecker``: the plan, its problem, lookup tables, what the plan's servers add
/// up to so far, and the violations found. Each rule family is a method in its own file beside
/// this one (DeploymentChecks, ServerGPUChecks, HostMemoryChecks, StorageChecks, NetworkChecks,
/// PowerChecks, CountChecks, FacilityChecks, BOMChecks).
struct PlanCheck {
    let plan: Plan
    let problem: PlanningProblem
    let target: SLO
    let tolerance: Double
    var found: [PlanViolation] = []

    let requirements: Requirements
    let gpus: [String: GPU]
    let servers: [String: Server]
    let dimms: [String: DIMM]
    let ssds: [String: SSD]
    let nics: [String: NIC]
    let psus: [String: PSU]
    /// The least efficient PSU's efficiency: wall draw = DC load ÷ this (0.9 without a figure).
    let minimumEfficiency: Double
    /// Two servers or more: every server needs a NIC.
    let cluster: Bool

    // Accumulated over the deployments and the server configurations.
    var deploymentCandidates: [ServingCandidate] = []
    var serverCount = 0
    var configurationGPUs = 0
    var serverLoadWatts = 0.0
    var rackUnits = 0
    /// Listing id → quantity the configurations imply.
    var expected: [String: Int] = [:]
    var usedServers: [(server: Server, count: Int, wallWatts: Double, cords: Int)] = []
    var nicClasses: Set<String> = []
    var nicPorts = 0
    var nicFabric: (Fabric, Double)?
    // Set by checkFabric, read by checkFacility.
    var switchLines: [(NetworkSwitch, Int)] = []
    var cableLines: [(Cable, Int)] = []
    var switchWatts = 0.0
    var cableWatts = 0.0

    init(plan: Plan, problem: PlanningProblem, target: SLO, tolerance: Double) {
        self.plan = plan
        self.problem = problem
        self.target = target
        self.tolerance = tolerance
        requirements = problem.requirements
        gpus = Dictionary(problem.candidates.map { ($0.gpu.id, $0.gpu) }, uniquingKeysWith: { a, _ in a })
        servers = Dictionary(problem.servers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        dimms = Dictionary(problem.dimms.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        ssds = Dictionary(problem.ssds.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        nics = Dictionary(problem.nics.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        psus = Dictionary(problem.psus.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        minimumEfficiency = problem.psus.map(\.efficiency).filter { $0 > 0 && $0 <= 1 }.min() ?? 0.9
        cluster = plan.servers.reduce(0) { $0 + $1.count } >= 2
    }

    mutating func fail(_ rule: String, _ message: String) { found.append(PlanViolation(rule: rule, message: message)) }
    func atLeast(_ value: Double, _ needed: Double) -> Bool { value >= needed - tolerance * max(1, abs(needed)) }
    func same(_ a: Double, _ b: Double, absolute: Double = 0.01) -> Bool { abs(a - b) <= max(absolute, tolerance * max(abs(a), abs(b))) }
    func n(_ value: Double) -> String { String(format: "%.4g", value) }

    /// Every rule family, in order; the violations found.
    mutating func run() -> [PlanViolation] {
        checkDeployments()
        for (index, configuration) in plan.servers.enumerated() { checkServer(index, configuration) }
        checkCounts()
        checkFabric()
        checkFacility()
        checkBillOfMaterials()
        return found
    }

    /// One server configuration: its chassis and GPU must be the problem's; then each part family.
    mutating func checkServer(_ index: Int, _ configuration: ServerConfiguration) {
        let label = "server configuration \(index + 1) (\(configuration.serverID) × \(configuration.count))"
        guard let server = servers[configuration.serverID] else {
            fail("unknown_server", "\(label): no chassis \(configuration.serverID) in the problem")
            return
        }
        guard let gpu = gpus[configuration.gpuID] else {
            fail("unknown_gpu", "\(label): no candidate GPU \(configuration.gpuID)")
            return
        }
        let count = configuration.count
        let perServerGPUs = configuration.gpusPerServer
        serverCount += count
        configurationGPUs += count * perServerGPUs
        rackUnits += count * server.rackUnits
        expected[server.id, default: 0] += count
        expected[gpu.id, default: 0] += count * perServerGPUs
        if count < 1 { fail("server_count", "\(label): count \(count)") }
        var unit = ServerUnderCheck(
            label: label, configuration: configuration, server: server, gpu: gpu, count: count, perServerGPUs: perServerGPUs,
            loadWatts: server.powerWatts + Double(perServerGPUs) * gpu.powerWatts)
        let fitting = checkGPUs(unit)
        checkHostMemory(&unit, fitting: fitting)
        checkStorage(&unit)
        checkNICs(&unit)
        checkPSUs(unit)
        serverLoadWatts += Double(count) * unit.loadWatts
        usedServers.append((server, count, unit.loadWatts / minimumEfficiency, max(configuration.psusPerServer, 1)))
    }
}

/// One server configuration being checked, and the peak draw of one such server so far (chassis and
/// GPUs, then each part family adds its own).
struct ServerUnderCheck {
    let label: String
    let configuration: ServerConfiguration
    let server: Server
    let gpu: GPU
    let count: Int
    let perServerGPUs: Int
    var loadWatts: Double
}
