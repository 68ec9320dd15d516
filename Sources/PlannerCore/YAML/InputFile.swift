import Foundation

/// Reads a file named on the command line (a workload spec), telling a missing path, a directory and
/// a file that cannot be read apart, so each gets its own message. Reads through a file descriptor,
/// so named pipes and `/dev/stdin` work as well as regular files.
public enum InputFile {
    /// How diagnostics name standard input (`planner solve -`).
    public static let standardInputName = "<stdin>"

    /// The file's bytes, at most `YAMLDocument.maxBytes + 1` of them (the parser reports a larger file
    /// as too large).
    public static func read(path: String) throws(LoadError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .fileNotFound(path) }
        if isDirectory.boolValue { throw .isDirectory(path) }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path, reason: reason(errno)) }
        return try read(FileHandle(fileDescriptor: descriptor, closeOnDealloc: true), name: path)
    }

    /// Everything `handle` holds (standard input, a pipe), bounded as ``read(path:)`` is. Reads with
    /// read(2), so a failure keeps the system's reason (FileHandle reports only Cocoa error codes).
    public static func read(_ handle: FileHandle, name: String) throws(LoadError) -> Data {
        let limit = YAMLDocument.maxBytes + 1
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while data.count < limit {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(handle.fileDescriptor, $0.baseAddress, min($0.count, limit - data.count)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(name, reason: reason(errno))
            }
            if n == 0 { break }
            data.append(contentsOf: buffer[..<n])
        }
        return data
    }

    /// `strerror` in lower case: "permission denied".
    static func reason(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
