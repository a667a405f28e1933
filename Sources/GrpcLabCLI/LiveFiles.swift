import ClusterTools
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The machine's real file system.
public struct LiveFiles: WorkspaceFiles {
  public init() {}

  /// The file or directory at `path`; only "no such file" is `.missing`, any other failure is `.unreadable`
  /// with the system's reason, and nothing but a regular file is read (a FIFO would block, a device never end).
  public func contents(of path: String) -> FileContents {
    var info = stat()
    guard stat(path, &info) == 0 else { return errno == ENOENT ? .missing : .unreadable(Self.reason(errno)) }
    switch info.st_mode & S_IFMT {
    case S_IFDIR:
      do { return .directory(try FileManager.default.contentsOfDirectory(atPath: path)) } catch { return .unreadable(Self.reason(error)) }
    case S_IFREG:
      switch Self.readFile(path, size: Int(info.st_size)) {
      case .success(let bytes): return .file(String(decoding: bytes, as: UTF8.self))
      case .failure(let error): return .unreadable(error.reason)
      }
    default:
      return .unreadable("not a regular file")
    }
  }

  /// The bytes of the regular file at `path`, mapped rather than copied: a snapshot of 100 000 pods, 30 MB,
  /// is then read in a few milliseconds instead of twenty, most of which went to faulting in fresh pages
  /// to copy it into. Workspace files are replaced by renaming (`write(bytes:to:)`), never changed in place,
  /// so what was mapped stays what was read; the mapping is private, so changing the bytes changes a copy.
  /// A file that says it is empty (as `/proc`'s do), or cannot be mapped, is read.
  public func bytes(of path: String) -> Data? {
    // Not blocking: opening a FIFO to read would wait for a writer.
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
    let size = Int(info.st_size)
    // Not populated up front: the kernel would copy every page of a writable private mapping to do so.
    guard size > 0, let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, descriptor, 0),
      address != UnsafeMutableRawPointer(bitPattern: -1)
    else { return (try? Self.readToEnd(descriptor, size: size).get()).map { Data($0) } }
    return Data(bytesNoCopy: address, count: size, deallocator: .custom { address, _ in munmap(address, size) })
  }

  /// The bytes of the regular file at `path`, whose size was `size` (it may have changed since).
  private static func readFile(_ path: String, size: Int) -> Result<[UInt8], FileError> {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return .failure(FileError(reason: reason(errno))) }
    defer { close(descriptor) }
    return readToEnd(descriptor, size: size)
  }

  /// The bytes left to read from `descriptor`, whose file's size was `size` (it may have changed since).
  private static func readToEnd(_ descriptor: Int32, size: Int) -> Result<[UInt8], FileError> {
    var data: [UInt8] = []
    var capacity = max(size, 0) + 1
    while true {
      var failure: Int32?
      let previous = data
      data = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, filled in
        let start = previous.withUnsafeBufferPointer { buffer.initialize(fromContentsOf: $0) }
        filled = start
        while filled < capacity {
          let count = read(descriptor, buffer.baseAddress.map { $0 + filled }, capacity - filled)
          if count < 0 && errno == EINTR { continue }
          guard count > 0 else {
            if count < 0 { failure = errno }
            return
          }
          filled += count
        }
      }
      if let failure { return .failure(FileError(reason: reason(failure))) }
      guard data.count == capacity else { return .success(data) }
      capacity *= 2
    }
  }

  /// The system's words for `code`: `Permission denied`.
  static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

  /// The system's words for a file operation's failure, without Foundation's wrapping.
  static func reason(_ error: any Error) -> String {
    let error = error as NSError
    if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return reason(Int32(underlying.code))
    }
    return error.domain == NSPOSIXErrorDomain ? reason(Int32(error.code)) : error.localizedDescription
  }

  public func write(_ contents: String, to path: String) throws {
    try write(bytes: Data(contents.utf8), to: path)
  }

  public func write(bytes: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try bytes.write(to: url, options: .atomic)
    } catch {
      throw FileError(reason: Self.reason(error))
    }
  }

  public func remove(_ path: String) throws {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    do { try FileManager.default.removeItem(atPath: path) } catch { throw FileError(reason: Self.reason(error)) }
  }

  public func withLock<T>(_ path: String, holder: String, waiting: (String) -> Void, _ body: () throws -> T) throws -> T {
    do {
      try FileManager.default.createDirectory(
        at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
    } catch {
      throw FileError(reason: Self.reason(error))
    }
    let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw FileError(reason: Self.reason(errno)) }
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
      guard errno == EWOULDBLOCK || errno == EINTR else { throw FileError(reason: Self.reason(errno)) }
      usleep(10_000)
    }
    var buffer = [UInt8](repeating: 0, count: 512)
    let count = pread(descriptor, &buffer, buffer.count, 0)
    let holder = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    waiting(holder.isEmpty ? "another grpclab" : holder)
    while flock(descriptor, LOCK_EX) != 0 {
      guard errno == EINTR else { throw FileError(reason: Self.reason(errno)) }
    }
  }
}

/// A file operation that failed, in the system's words.
struct FileError: Error, CustomStringConvertible {
  var reason: String

  var description: String { reason }
}
