/// RAID levels are rules, not products: what an array of `n` identical drives gives.
///
/// | level | drives | usable capacity | sequential read | random read IOPS | drives that may fail |
/// |---|---|---|---|---|---|
/// | 0 | n ≥ 1 | n·C | n·R | n·I | 0 |
/// | 1 | n = 2 | C | 2·R | 2·I | 1 |
/// | 5 | n ≥ 3 | (n−1)·C | (n−1)·R | n·I | 1 |
/// | 6 | n ≥ 4 | (n−2)·C | (n−2)·R | n·I | 2 |
/// | 10 | n ≥ 4, even | n/2·C | n·R | n·I | 1 (guaranteed; up to n/2 if in different mirrors) |
///
/// Reads: RAID 1 and 10 read from every mirror; RAID 5/6 stripe data over n−1 / n−2 drives per stripe
/// for streaming reads but spread random reads over all n. A single drive is "RAID 0 of 1".
public enum RAIDLevel: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case raid0 = 0
    case raid1 = 1
    case raid5 = 5
    case raid6 = 6
    case raid10 = 10

    public static func < (lhs: RAIDLevel, rhs: RAIDLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether an array of `drives` drives can use this level.
    public func allows(drives: Int) -> Bool {
        switch self {
        case .raid0: drives >= 1
        case .raid1: drives == 2
        case .raid5: drives >= 3
        case .raid6: drives >= 4
        case .raid10: drives >= 4 && drives % 2 == 0
        }
    }

    /// Drives whose capacity holds data.
    public func dataDrives(_ drives: Int) -> Int {
        switch self {
        case .raid0: drives
        case .raid1: 1
        case .raid5: drives - 1
        case .raid6: drives - 2
        case .raid10: drives / 2
        }
    }

    /// Drives whose sequential read bandwidth adds up.
    public func readDrives(_ drives: Int) -> Int {
        switch self {
        case .raid0, .raid1, .raid10: drives
        case .raid5: drives - 1
        case .raid6: drives - 2
        }
    }

    /// Drives that may fail without data loss (guaranteed).
    public var faultTolerance: Int {
        switch self {
        case .raid0: 0
        case .raid1, .raid5, .raid10: 1
        case .raid6: 2
        }
    }
}
