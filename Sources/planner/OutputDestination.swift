import Foundation

/// Writes command output: to standard output, or atomically to a file (a temporary file beside it,
/// then renamed), so a failed run never leaves a partial file.
///
/// One rule for every file option (`--output`, `--plot`, `--export-lp`): missing parent folders are
/// created (as `mkdir -p` would); a failure names the path and the system's reason, never Foundation's text.
enum OutputDestination {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try prepare(path)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot write \(path)", errno) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                let code = errno
                close(descriptor)
                unlink(temporary)
                throw failure("cannot write \(path)", code)
            }
            written += n
        }
        close(descriptor)
        // rename(2) replaces an existing file atomically.
        guard rename(temporary, url.path) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure("cannot write \(path)", code)
        }
    }

    /// Checks that `path` names a file (not a folder) and creates its missing parent folders.
    static func prepare(_ path: String) throws {
        guard !path.isEmpty else { throw UserError(message: "an output file name is empty; name a file") }
        var isDirectory: ObjCBool = false
        if path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw UserError(message: "\(path) is a directory, expected a file name (for example \(path.hasSuffix("/") ? path : path + "/")out.txt)")
        }
        var missing: [String] = []
        var folder = (path as NSString).deletingLastPathComponent
        while !folder.isEmpty, folder != "/" {
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw UserError(message: "cannot write \(path): \(folder) is a file, expected a folder")
                }
                break
            }
            missing.append(folder)
            folder = (folder as NSString).deletingLastPathComponent
        }
        for dir in missing.reversed() where mkdir(dir, 0o755) != 0 && errno != EEXIST {
            throw failure("cannot create the folder \(dir) for \(path)", errno)
        }
    }

    static func failure(_ what: String, _ code: Int32) -> UserError {
        UserError(message: "\(what) (\(String(cString: strerror(code)).lowercased())); check the folder exists and is writable")
    }
}
