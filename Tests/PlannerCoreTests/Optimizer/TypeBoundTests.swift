import LinearModel
import XCTest
@testable import PlannerCore
import PlannerTestSupport

/// The pieces of the split by GPU type: the fewest GPUs a type needs, the chassis-fit index, the
/// queue order and the objective cutoff, each checked against an independent computation.
final class TypeBoundTests: XCTestCase {
    typealias Option = TypeBound.ReplicaOption

    /// The fewest GPUs, by brute force over every replica count up to what one TP degree alone needs:
    /// with a spare, every degree used loses one replica's capacity.
    func bruteForceMinimumGPUs(demand: Double, replicas: [Option], spare: Bool) -> Int? {
        guard !replicas.isEmpty else { return nil }
        let limits = replicas.map { Int((demand / $0.capacity).rounded(.up)) + 2 }
        var best: Int?
        var counts = [Int](repeating: 0, count: replicas.count)
        while true {
            let used = counts.filter { $0 > 0 }.count
            if used > 0 {
                let capacity = zip(counts, replicas).reduce(0.0) { $0 + Double($1.0 - (spare && $1.0 > 0 ? 1 : 0)) * $1.1.capacity }
                let gpus = zip(counts, replicas).reduce(0) { $0 + $1.0 * $1.1.tensorParallel }
                if capacity >= demand, gpus < best ?? .max { best = gpus }
            }
            var i = 0
            while i < counts.count {
                counts[i] += 1
                if counts[i] <= limits[i] { break }
                counts[i] = 0
                i += 1
            }
            if i == counts.count { return best }
        }
    }

    /// Worked by hand from llama-70b on the H100 NVL (TP 1/2/4 carrying 28.82/80.35/173.66
    /// concurrent requests, demand 128): without a spare, one TP-4 replica or two TP-2 replicas
    /// (4 GPUs; 3 GPUs carry at most 80.35 + 28.82 = 109.17); with n+1, three TP-2 replicas or six
    /// TP-1 replicas (6 GPUs: two TP-4 replicas are 8, and mixing degrees loses two replicas).
    func testMinimumGPUsWorkedExample() {
        let options = [Option(tensorParallel: 1, capacity: 28.82), Option(tensorParallel: 2, capacity: 80.35), Option(tensorParallel: 4, capacity: 173.66)]
        XCTAssertEqual(TypeBound.minimumGPUs(demand: 128, replicas: options, spareReplica: false), 4)
        XCTAssertEqual(TypeBound.minimumGPUs(demand: 128, replicas: options, spareReplica: true), 6)
        // The old ratio bound, ⌈128 / 43.4⌉ + 1 = 4 GPUs with the spare, was 2 GPUs ($64,600) short.
        XCTAssertEqual(TypeBound.minimumGPUs(demand: 0, replicas: options, spareReplica: true), 1)
        XCTAssertEqual(TypeBound.minimumGPUs(demand: 0, replicas: options, spareReplica: false), 1)
        XCTAssertNil(TypeBound.minimumGPUs(demand: 10, replicas: [], spareReplica: false))
        XCTAssertNil(TypeBound.minimumGPUs(demand: 10, replicas: [Option(tensorParallel: 2, capacity: 0)], spareReplica: false))
    }

    /// 600 random instances (1–4 TP degrees, demand up to 20 TP-1 replicas' worth) agree with brute force.
    func testMinimumGPUsMatchesBruteForce() {
        var random = SplitMix64(seed: 7)
        var checked = 0
        for _ in 0..<600 {
            let degrees = [1, 2, 4, 8].filter { _ in random.int(0...2) > 0 }
            guard !degrees.isEmpty else { continue }
            let options = degrees.map { Option(tensorParallel: $0, capacity: Double(random.int(28...400)) / 7 * Double($0)) }
            let demand = Double(random.int(0...240)) / 3
            let spare = random.int(0...1) == 1
            let expected = bruteForceMinimumGPUs(demand: demand, replicas: options, spare: spare)
            XCTAssertEqual(TypeBound.minimumGPUs(demand: demand, replicas: options, spareReplica: spare).map { Int($0) }, expected,
                           "\(options) demand \(demand) spare \(spare)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 500)
    }

    /// The index answers exactly what `Server.accepts` answers for every pair, on the shipped
    /// catalog plus chassis restricted to listed GPUs.
    func testChassisFitMatchesAccepts() throws {
        let catalog = try loadShipped()
        var servers = catalog.servers
        var restricted = servers[0]
        restricted.listing.id = "restricted-two"
        restricted.gpuFormFactors = [.sxm, .pcieDualSlot]
        restricted.compatibleGPUs = ["h100-sxm-80gb", "l40s-48gb", "not-in-catalog"]
        servers.append(restricted)
        let fit = ChassisFit(servers: servers, gpus: catalog.gpus)
        for gpu in catalog.gpus {
            XCTAssertEqual(fit.servers(accepting: gpu), servers.indices.filter { servers[$0].accepts(gpu) }, gpu.id)
        }
        for s in servers.indices {
            let taken = catalog.gpus.indices.filter { servers[s].accepts(catalog.gpus[$0]) }
            XCTAssertEqual(fit.gpus(acceptedBy: s), taken, servers[s].id)
            for other in servers.indices {
                let expected = Set(taken).isSuperset(of: catalog.gpus.indices.filter { servers[other].accepts(catalog.gpus[$0]) })
                XCTAssertEqual(fit.takesEveryGPU(of: other, as: s), expected, "\(servers[s].id) ⊇ \(servers[other].id)")
            }
        }
    }

    /// The queue visits bounds cheapest first; at equal bounds an exact entry comes before a cheap
    /// one, then GPU ids ascend.
    func testTypeQueueOrder() throws {
        let catalog = try loadShipped()
        let gpus = Array(catalog.gpus.sorted { $0.id < $1.id }.prefix(3))
        func entry(_ g: Int, _ objective: Double, exact: Bool) -> TypeQueue<Int>.Entry {
            TypeQueue<Int>.Entry(bound: TypeBound.Bound(gpu: gpus[g], capexUSD: objective, objective: objective), exact: exact ? g : nil)
        }
        var queue = TypeQueue<Int>([entry(2, 10, exact: false), entry(0, 30, exact: false), entry(1, 10, exact: false)])
        queue.insert(entry(2, 10, exact: true))
        queue.insert(entry(0, 5, exact: true))
        var order: [String] = []
        while let first = queue.first {
            order.append("\(first.bound.gpu.id)\(first.exact == nil ? "" : "*")")
            queue.removeFirst()
        }
        XCTAssertEqual(order, ["\(gpus[0].id)*", "\(gpus[2].id)*", gpus[1].id, gpus[2].id, gpus[0].id])
    }

    /// A cutoff above the optimum changes nothing; one below it leaves no plan, and no diagnosis.
    func testObjectiveCutoff() throws {
        let catalog = try loadShipped()
        let spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/seed-scenario-1-rtx4090.yaml").path, catalog: catalog)
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        let optimizer = Optimizer(options: SolveOptions(timeLimitSeconds: 30))
        let free = optimizer.solve(input.problem, context: input.context)
        XCTAssertEqual(free.status, .optimal)
        XCTAssertEqual(free.totals.capexUSD, 6734, accuracy: 0.5)  // the seed's desk-side RTX 4090 box (golden seed-scenario-1-rtx4090)
        let above = optimizer.solve(input.problem, context: input.context, clock: nil, groups: nil, objectiveCutoff: 6734.5, diagnose: false)
        XCTAssertEqual(above.status, .optimal)
        XCTAssertEqual(above.objective.value, free.objective.value, accuracy: 0.001)
        let below = optimizer.solve(input.problem, context: input.context, clock: nil, groups: nil, objectiveCutoff: 6733, diagnose: false)
        XCTAssertEqual(below.status, .infeasible)
        XCTAssertEqual(below.diagnosis, [])
    }
}
