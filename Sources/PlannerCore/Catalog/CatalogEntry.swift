/// One decoded catalog entry, typed by its kind: what ``CatalogDecoding`` returns for an entry and
/// ``CatalogBuilder`` stages until the catalog is assembled (no `Any`, no cast back).
enum CatalogEntry: Sendable {
    case gpu(GPU)
    case server(Server)
    case dimm(DIMM)
    case ssd(SSD)
    case nic(NIC)
    case networkSwitch(NetworkSwitch)
    case cable(Cable)
    case psu(PSU)
    case pdu(PDU)
    case cooling(CoolingOption)
    case rack(Rack)
    case model(ModelArchitecture)

    /// The catalog kind (the YAML key) the entry was listed under.
    var kind: CatalogKind {
        switch self {
        case .gpu: .gpus
        case .server: .servers
        case .dimm: .dimms
        case .ssd: .ssds
        case .nic: .nics
        case .networkSwitch: .switches
        case .cable: .cables
        case .psu: .psus
        case .pdu: .pdus
        case .cooling: .cooling
        case .rack: .racks
        case .model: .models
        }
    }
}
