/// Where a plan's hardware is installed (`site:` in the spec).
public enum Site: String, Sendable, Hashable, Codable, CaseIterable {
    /// Racks, rack PDUs and room cooling; any chassis the catalog lists for a datacenter.
    case datacenter
    /// Desk-side machines on wall sockets: workstation chassis only, no racks, PDUs or room cooling,
    /// and each machine within one socket's continuous rating.
    case office

    /// 120 V × 15 A × 80 %: the US National Electrical Code limits a continuous load to 80 % of the
    /// branch circuit's rating (NEC 210.19(A)(1), 210.20(A)). A 230 V / 16 A European socket gives
    /// 3,680 W (230 × 16); set `constraints.socket_watts` for it.
    public static let defaultSocketWatts = 1_440.0
}
