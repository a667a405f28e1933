import ClusterTools
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The machine's real file system.
public struct LiveFiles: WorkspaceFiles {
  public init() {}

  public func contents(of path: String) -> FileContents {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
    if isDirectory.boolValue {
      return .directory((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
    }
    guard let data = FileManager.default.contents(atPath: path) else { return .missing }
    return .file(String(decoding: data, as: UTF8.self))
  }

  public func write(_ contents: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(contents.utf8).write(to: url, options: .atomic)
  }

  public func remove(_ path: String) throws {
    if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
  }

  public func withLock<T>(_ path: String, holder: String, waiting: (String) -> Void, _ body: () throws -> T) throws -> T {
    try FileManager.default.createDirectory(
      at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
    let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw LockError(code: errno) }
    defer { close(descriptor) }
    try Self.lock(descriptor, waiting: waiting)
    defer {
      _ = ftruncate(descriptor, 0)
      flock(descriptor, LOCK_UN)
    }
    let text = Array((holder + "\n").utf8)
    if ftruncate(descriptor, 0) == 0 { _ = pwrite(descriptor, text, text.count, 0) }
    return try body()
  }

  /// How long a lock may be busy before the waiter is told who holds it.
  private static let patience = 300

  /// Takes the lock on `descriptor`: at once when free, else after `patience` milliseconds of trying, telling
  /// `waiting` who holds it, and then for as long as that takes.
  private static func lock(_ descriptor: Int32, waiting: (String) -> Void) throws {
    for _ in 0..<patience / 10 {
      if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
      guard errno == EWOULDBLOCK || errno == EINTR else { throw LockError(code: errno) }
      usleep(10_000)
    }
    var buffer = [UInt8](repeating: 0, count: 512)
    let count = pread(descriptor, &buffer, buffer.count, 0)
    let holder = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    waiting(holder.isEmpty ? "another grpclab" : holder)
    while flock(descriptor, LOCK_EX) != 0 {
      guard errno == EINTR else { throw LockError(code: errno) }
    }
  }
}

/// A workspace lock that could not be opened or taken, with the system's reason.
struct LockError: Error, CustomStringConvertible {
  var code: Int32

  var description: String { String(cString: strerror(code)) }
}
