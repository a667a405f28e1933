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

  public func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
    try FileManager.default.createDirectory(
      at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
    let descriptor = open(path, O_CREAT | O_RDWR, 0o644)
    guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission) }
    defer { close(descriptor) }
    flock(descriptor, LOCK_EX)
    defer { flock(descriptor, LOCK_UN) }
    return try body()
  }
}
