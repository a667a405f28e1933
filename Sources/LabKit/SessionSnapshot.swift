import ClusterModel
import ClusterTools
import Crypto
import Foundation

/// The cluster and workstation as the first `entries` commands of a journal left them, kept beside the
/// journal so that loading a session replays only the commands after them.
///
/// The journal stays the source of truth. A snapshot counts only when this build's model made it and its
/// key is the digest of what its replay depended on: the lab, the seed, the start and the journal's first
/// `entries` commands. Any other snapshot is ignored, and the session is rebuilt from the journal.
public struct SessionSnapshot: Sendable {
  /// What a snapshot was made from, which says whether it fits a session.
  public struct Header: Codable, Sendable {
    /// The version of the model that made it (`SessionState.modelVersion`).
    public var model: Int
    /// The digest of the lab, seed, start and journal prefix it was made from.
    public var key: String
    /// How many journal entries it covers.
    public var entries: Int

    /// Whether the session saved as `state` starts with the commands the snapshot covers, replayed by
    /// this build's model.
    public func fits(_ state: SessionState) -> Bool {
      model == SessionState.modelVersion && (0...state.journal.count).contains(entries)
        && key == state.replayKey(entries: entries)
    }
  }

  public var header: Header
  /// The cluster and the workstation.
  public var tools: ToolSession

  public init(header: Header, tools: ToolSession) {
    self.header = header
    self.tools = tools
  }

  /// The snapshot as a file keeps it: the header as one line of JSON, then the tools' archive.
  public func encoded() throws -> Data {
    try JSONEncoder().encode(header) + [UInt8(ascii: "\n")] + tools.archived()
  }

  /// The snapshot `encoded()` made `bytes` of, when it fits `state`; nil when it does not fit or does not
  /// decode. A snapshot that does not fit is never decoded beyond its header.
  public init?(decoding bytes: Data, fitting state: SessionState) {
    guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")),
      let header = try? JSONDecoder().decode(Header.self, from: bytes[..<newline]), header.fits(state),
      let tools = try? ToolSession(archived: bytes[(newline + 1)...])
    else { return nil }
    self.init(header: header, tools: tools)
  }
}

extension SessionState {
  /// The digest of what replaying the first `count` journal entries depends on: the lab, the seed, the
  /// start on the learner's clock, and each entry as its JSON line (command, folder, files, clock and flags).
  func replayKey(entries count: Int) -> String {
    var hasher = SHA256()
    func add(_ number: UInt64) { withUnsafeBytes(of: number.littleEndian) { hasher.update(bufferPointer: $0) } }
    func add(_ bytes: some DataProtocol) {
      add(UInt64(bytes.count))
      hasher.update(data: bytes)
    }
    add(Array(lab.utf8))
    add(seed)
    add(started == nil ? 0 : 1)
    add(UInt64(bitPattern: started?.nanoseconds ?? 0))
    add(UInt64(count))
    for line in journal.lines.prefix(count) { add(line) }
    return hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
  }
}
