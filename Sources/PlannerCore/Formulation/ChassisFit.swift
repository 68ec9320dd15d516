/// Which chassis take which GPU (``Server/accepts(_:)-(GPU)``), indexed so that large catalogs do
/// not pay for every GPU × chassis pair: a chassis takes a GPU when its slots take the GPU's form
/// factor and its airflow suits the GPU's cooling and, for the few chassis restricted to listed GPUs (an HGX board), the list names it.
/// Answers are in time proportional to their size.
struct ChassisFit {
    let servers: [Server]
    let gpus: [GPU]
    /// Chassis (indices into `servers`) taking any GPU of a form factor, ascending.
    private var open: [FormFactor: [Int]] = [:]
    /// Restricted chassis by the GPU id they list (and whose slots take its form factor), ascending.
    private var listed: [String: [Int]] = [:]
    /// GPUs (indices into `gpus`) by form factor, ascending.
    private var gpusByFormFactor: [FormFactor: [Int]] = [:]
    /// The GPUs each restricted chassis takes.
    private var restrictedGPUs: [Int: Set<Int>] = [:]

    init(servers: [Server], gpus: [GPU]) {
        self.servers = servers
        self.gpus = gpus
        for (i, server) in servers.enumerated() {
            let forms = Set(server.gpuFormFactors).sorted { $0.rawValue < $1.rawValue }
            if let ids = server.compatibleGPUs {
                for id in Set(ids).sorted() { listed[id, default: []].append(i) }
            } else {
                for form in forms { open[form, default: []].append(i) }
            }
        }
        var indexByID: [String: Int] = [:]
        for (g, gpu) in gpus.enumerated() {
            gpusByFormFactor[gpu.formFactor, default: []].append(g)
            indexByID[gpu.id] = indexByID[gpu.id] ?? g
        }
        for (s, server) in servers.enumerated() {
            guard let ids = server.compatibleGPUs else { continue }
            restrictedGPUs[s] = Set(ids.compactMap { indexByID[$0] }.filter { server.accepts(gpus[$0]) })
        }
    }

    /// The chassis (indices into `servers`) restricted to a list that names `gpu` and take its form factor.
    func listedServers(accepting gpu: GPU) -> [Int] {
        (listed[gpu.id] ?? []).filter { servers[$0].gpuFormFactors.contains(gpu.formFactor) && servers[$0].gpuCooling.contains(gpu.cooling) }
    }

    /// Every chassis (indices into `servers`) that takes `gpu`, ascending.
    func servers(accepting gpu: GPU) -> [Int] {
        let restricted = listedServers(accepting: gpu)
        let open = (open[gpu.formFactor] ?? []).filter { servers[$0].gpuCooling.contains(gpu.cooling) }
        guard !restricted.isEmpty else { return open }
        return (open + restricted).sorted()
    }

    /// The GPUs (indices into `gpus`) chassis `s` takes, ascending.
    func gpus(acceptedBy s: Int) -> [Int] {
        if let restricted = restrictedGPUs[s] { return restricted.sorted() }
        return Set(servers[s].gpuFormFactors).flatMap { gpusByFormFactor[$0] ?? [] }
            .filter { servers[s].gpuCooling.contains(gpus[$0].cooling) }.sorted()
    }

    /// Whether chassis `a` takes every GPU chassis `b` takes. Open chassis compare by the form
    /// factors some GPU has; a restricted one by its GPUs. Conservative on cooling: `a` must
    /// support every GPU cooling kind `b` supports.
    func takesEveryGPU(of b: Int, as a: Int) -> Bool {
        let (x, y) = (servers[a], servers[b])
        guard Set(x.gpuCooling).isSuperset(of: y.gpuCooling) else { return false }
        switch (restrictedGPUs[a], restrictedGPUs[b]) {
        case (nil, nil):
            return y.gpuFormFactors.allSatisfy { x.gpuFormFactors.contains($0) || gpusByFormFactor[$0] == nil }
        case let (nil, .some(theirs)):
            return theirs.allSatisfy { x.gpuFormFactors.contains(gpus[$0].formFactor) }
        case let (.some(ours), nil):
            return Set(y.gpuFormFactors).allSatisfy { form in (gpusByFormFactor[form] ?? []).allSatisfy(ours.contains) }
        case let (.some(ours), .some(theirs)):
            return ours.isSuperset(of: theirs)
        }
    }
}
