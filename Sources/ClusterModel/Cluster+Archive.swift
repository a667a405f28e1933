import Foundation

extension Cluster {
  /// The cluster in the compact form a snapshot keeps, from which `init(archived:)` makes an equal one.
  ///
  /// API objects and the controllers' state are one line of JSON, with object timestamps to the nanosecond
  /// where the API's own encoding keeps seconds. Before it, after a line with their count, come the texts
  /// kept apart from it (`ArchiveParts`): the events and the recorders' memory of them, which a cluster made
  /// from an archive decodes when first used. Telemetry follows, packed into bytes, as its calls, spans and
  /// log lines run to hundreds of thousands; it is unpacked when first read, and its logs and spans, the
  /// bulk of it, when they are first read or changed.
  public func archived() throws -> [UInt8] {
    let parts = ArchiveParts()
    let encoder = JSONEncoder()
    encoder.userInfo = Self.archiveCoding.merging([ArchiveParts.key: parts]) { _, part in part }
    let json = try encoder.encode(self)
    var bytes = Array("\(parts.all.count)\n".utf8)
    for part in parts.all { bytes += part + [UInt8(ascii: "\n")] }
    var writer = PackedWriter()
    observed.pack(into: &writer)
    return bytes + json + [UInt8(ascii: "\n")] + writer.bytes
  }

  /// The cluster `archived()` made `bytes` of.
  ///
  /// - Throws: An error when the bytes are not an archive this build made.
  public init(archived bytes: ArraySlice<UInt8>) throws {
    var rest = bytes
    func line() throws -> ArraySlice<UInt8> {
      guard let newline = rest.firstIndex(of: UInt8(ascii: "\n")) else { throw PackedReader.Truncated() }
      defer { rest = rest[(newline + 1)...] }
      return rest[..<newline]
    }
    guard let count = Int(String(decoding: try line(), as: UTF8.self)), count >= 0 else {
      throw PackedReader.Truncated()
    }
    let parts = ArchiveParts(try (0..<count).map { _ in try line() })
    let decoder = JSONDecoder()
    decoder.userInfo = Self.archiveCoding.merging([ArchiveParts.key: parts]) { _, part in part }
    self = try decoder.decode(Cluster.self, from: Data(try line()))
    observed = try ArchivedTelemetry(packed: rest)
  }

  /// The `userInfo` of an archive's JSON: timestamps to the nanosecond.
  private static let archiveCoding: [CodingUserInfoKey: any Sendable] = Dictionary(
    uniqueKeysWithValues: [Timestamp.exactKey].compactMap { $0 }.map { ($0, true) })
}

extension ArchivedTelemetry: Codable {
  /// Nothing: a cluster's JSON leaves telemetry out, which `Cluster.archived()` packs after it.
  init(from decoder: any Decoder) throws {
    self.init(Telemetry())
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encodeNil()
  }
}
