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
      model == SessionState.modelVersion && entries <= state.journal.count && key == state.replayKey(entries: entries)
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
  public func encoded() throws -> [UInt8] {
    [UInt8](try JSONEncoder().encode(header)) + [UInt8(ascii: "\n")] + (try tools.archived())
  }

  /// The snapshot `encoded()` made `bytes` of, when it fits `state`; nil when it does not fit or does not
  /// decode. A snapshot that does not fit is never decoded beyond its header.
  public init?(decoding bytes: [UInt8], fitting state: SessionState) {
    guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")),
      let header = try? JSONDecoder().decode(Header.self, from: Data(bytes[..<newline])), header.fits(state),
      let tools = try? ToolSession(archived: bytes[(newline + 1)...])
    else { return nil }
    self.init(header: header, tools: tools)
  }
}

extension SessionState {
  /// The digest of what replaying the first `count` journal entries depends on: the lab, the seed, the
  /// start on the learner's clock, and each entry's command, folder, files, clock and flags.
  func replayKey(entries count: Int) -> String {
    var bytes: [UInt8] = []
    func add(_ number: UInt64) { withUnsafeBytes(of: number.littleEndian) { bytes += $0 } }
    func add(_ text: String) {
      add(UInt64(text.utf8.count))
      bytes += text.utf8
    }
    func add(_ time: SimTime?) {
      add(time == nil ? 0 : 1)
      add(UInt64(bitPattern: time?.nanoseconds ?? 0))
    }
    func add(_ flag: Bool?) { add(flag.map { $0 ? 2 : 1 } ?? 0) }
    add(lab)
    add(seed)
    add(started)
    add(UInt64(count))
    for entry in journal.prefix(count) {
      add(entry.line)
      add(entry.workingDirectory)
      add(UInt64(entry.files.count))
      for (path, contents) in entry.files.sorted(by: { $0.key < $1.key }) {
        add(path)
        switch contents {
        case .file(let text): add(1); add(text)
        case .directory(let names): add(2); add(UInt64(names.count)); names.forEach { add($0) }
        case .missing: add(3)
        case .unreadable(let reason): add(4); add(reason)
        }
      }
      add(entry.changed)
      add(entry.at)
      add(entry.readOnly)
      add(entry.followedUntil)
    }
    return SHA256.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
  }
}
