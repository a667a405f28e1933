import Foundation

extension Cluster {
  /// The cluster in the compact form a snapshot keeps, from which `init(archived:)` makes an equal one.
  ///
  /// The first line holds the checksum of the cluster's JSON and the byte counts of the texts kept apart
  /// from it (`ArchiveParts`: each kind's objects, each namespace's pods, the pods' runtimes and the
  /// recorders' memory of events, which a cluster made from an archive decodes when first used) and of
  /// the JSON; the texts follow, a line each, so that a load finds each without looking for the end of its
  /// line. Then come the API objects and the
  /// controllers' state as one line of JSON, with object timestamps to the nanosecond where the API's own
  /// encoding keeps seconds, and the telemetry, packed into bytes with its own checksum, as its calls,
  /// traces and log lines run to hundreds of thousands; it is unpacked when first read, and its logs and
  /// traces, the bulk of it, when they are first read or changed. Every byte is checked when the archive is
  /// read, so that a snapshot damaged after it was written is refused then.
  public func archived() throws -> Data {
    let parts = ArchiveParts()
    let encoder = JSONEncoder()
    encoder.userInfo = Self.archiveCoding(with: parts)
    let json = try encoder.encode(self)
    let texts = parts.all
    let counts = (texts.map(\.count) + [json.count]).map(String.init).joined(separator: " ")
    var bytes = Data("\(Checksum.fnv1a(json)) \(counts)\n".utf8)
    for text in texts + [json] {
      bytes += text
      bytes.append(UInt8(ascii: "\n"))
    }
    var writer = PackedWriter()
    observed.pack(into: &writer)
    bytes += writer.bytes
    return bytes
  }

  /// The cluster `archived()` made `bytes` of.
  ///
  /// - Throws: An error when the bytes are not an archive this build made, or were changed since.
  public init(archived bytes: Data) throws {
    guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { throw PackedReader.Truncated() }
    let header = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ")
    var rest = bytes[(newline + 1)...]
    // Each text and the JSON end in a newline, so there are no more of them than bytes.
    guard header.count >= 2, header.count <= rest.count + 1, let checksum = UInt64(header[0]) else { throw PackedReader.Truncated() }
    var texts: [Data] = []
    for field in header.dropFirst() {
      guard let count = Int(field), count >= 0, count < rest.count, rest[rest.startIndex + count] == UInt8(ascii: "\n") else {
        throw PackedReader.Truncated()
      }
      texts.append(rest.prefix(count))
      rest = rest.dropFirst(count + 1)
    }
    guard let json = texts.popLast(), Checksum.fnv1a(json) == checksum else { throw PackedReader.Truncated() }
    let decoder = JSONDecoder()
    decoder.userInfo = Self.archiveCoding(with: ArchiveParts(texts))
    self = try decoder.decode(Cluster.self, from: json)
    observed = try ArchivedTelemetry(packed: rest)
  }

  /// The `userInfo` of an archive's JSON: timestamps to the nanosecond, and the texts kept apart.
  private static func archiveCoding(with parts: ArchiveParts) -> [CodingUserInfoKey: any Sendable] {
    var userInfo: [CodingUserInfoKey: any Sendable] = [:]
    if let exact = Timestamp.exactKey { userInfo[exact] = true }
    if let key = ArchiveParts.key { userInfo[key] = parts }
    return userInfo
  }
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
