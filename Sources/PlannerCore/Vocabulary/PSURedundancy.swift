/// PSU redundancy per server.
public enum PSURedundancy: String, Sendable, Hashable, Codable, CaseIterable {
    case none
    /// One PSU may fail: the others carry the peak.
    case nPlusOne = "n+1"
    /// Half the PSUs (one feed) may fail.
    case twoN = "2n"

    /// Output capacity that survives the failures this redundancy tolerates, for `count` PSUs of
    /// `capacityWatts` each: none → n·P, n+1 → (n−1)·P, 2n → (n/2)·P with n even (0 otherwise).
    public func usableWatts(count: Int, capacityWatts: Double) -> Double {
        switch self {
        case .none: Double(count) * capacityWatts
        case .nPlusOne: Double(max(count - 1, 0)) * capacityWatts
        case .twoN: count % 2 == 0 ? Double(count / 2) * capacityWatts : 0
        }
    }
}
