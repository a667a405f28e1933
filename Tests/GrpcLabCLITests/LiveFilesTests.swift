import Foundation
import Testing

@testable import GrpcLabCLI

/// The bytes of a real file, as a snapshot is read: mapped, never blocking, and unchanged by a later write
/// of the same path, which replaces the file.
@Suite struct LiveFilesTests {
  /// A temporary folder on the real file system.
  final class Folder: Sendable {
    let path = NSTemporaryDirectory() + "grpclab-files-\(UUID().uuidString)"

    init() throws {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
  }

  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var make: @Sendable (String) throws -> Void
    var bytes: Data?
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "a file", make: { try Data("snapshot\n".utf8).write(to: URL(fileURLWithPath: $0)) }, bytes: Data("snapshot\n".utf8)),
    Case(name: "an empty file", make: { try Data().write(to: URL(fileURLWithPath: $0)) }, bytes: Data()),
    Case(name: "no file", make: { _ in }, bytes: nil),
    Case(name: "a FIFO", make: { _ = mkfifo($0, 0o600) }, bytes: nil),
    Case(name: "a directory", make: { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: true) }, bytes: nil),
    Case(name: "a link to /dev/zero", make: { _ = symlink("/dev/zero", $0) }, bytes: nil),
  ]

  @Test(arguments: cases)
  func bytesAreThoseOfARegularFileOnly(_ test: Case) throws {
    let folder = try Folder()
    let path = folder.path + "/snapshot"
    try test.make(path)
    #expect(LiveFiles().bytes(of: path) == test.bytes)
  }

  /// A file that says it is empty, as `/proc`'s do, is read to its end.
  @Test func aFileThatSaysItIsEmptyIsReadToItsEnd() throws {
    let bytes = try #require(LiveFiles().bytes(of: "/proc/self/status"))
    #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("Name:"))
  }

  /// Bytes read can be changed: the change stays in the copy, not in the file.
  @Test func changingBytesReadLeavesTheFile() throws {
    let folder = try Folder()
    let path = folder.path + "/snapshot"
    let files = LiveFiles()
    try files.write(bytes: Data("abc".utf8), to: path)
    var read = try #require(files.bytes(of: path))
    read[read.startIndex] = UInt8(ascii: "x")
    #expect(read == Data("xbc".utf8))
    #expect(files.bytes(of: path) == Data("abc".utf8))
  }

  /// A write replaces the file by renaming, so bytes read before it, mapped from the file they were read
  /// from, stay what they were.
  @Test func bytesReadBeforeAWriteStayWhatWasRead() throws {
    let folder = try Folder()
    let path = folder.path + "/snapshot"
    let files = LiveFiles()
    let first = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0) })
    try files.write(bytes: first, to: path)
    let read = try #require(files.bytes(of: path))
    try files.write(bytes: Data(repeating: 7, count: 50), to: path)
    #expect(read == first)
    #expect(files.bytes(of: path) == Data(repeating: 7, count: 50))
  }
}
