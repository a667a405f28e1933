import Foundation

extension Cluster {
  /// The cluster in the compact form a snapshot keeps, from which `init(archived:)` makes an equal one.
  ///
  /// API objects and the controllers' state are one line of JSON, with object timestamps to the nanosecond
  /// where the API's own encoding keeps seconds; telemetry follows, packed into bytes, as its calls, spans
  /// and log lines run to hundreds of thousands. A cluster made from an archive decodes its events (with
  /// the recorders' memory of them) and unpacks its telemetry when first read, and its logs and spans, the
  /// bulk of the telemetry, when they are first read or changed.
  public func archived() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.userInfo = Self.archiveCoding
    var writer = PackedWriter()
    observed.pack(into: &writer)
    return [UInt8](try encoder.encode(self)) + [UInt8(ascii: "\n")] + writer.bytes
  }

  /// The cluster `archived()` made `bytes` of.
  ///
  /// - Throws: An error when the bytes are not an archive this build made.
  public init(archived bytes: ArraySlice<UInt8>) throws {
    guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { throw PackedReader.Truncated() }
    let decoder = JSONDecoder()
    decoder.userInfo = Self.archiveCoding
    self = try decoder.decode(Cluster.self, from: Data(bytes[..<newline]))
    observed = try ArchivedTelemetry(packed: bytes[(newline + 1)...])
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
