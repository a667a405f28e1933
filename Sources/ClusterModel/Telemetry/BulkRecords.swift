/// The records a session writes most of, container logs and trace spans, which most commands that read
/// telemetry (`check`, `oc get`) never look at: telemetry unpacked from a snapshot keeps them packed until
/// they change, and a read before that unpacks them for that read only.
struct BulkRecords: Sendable {
  /// The packed logs and spans of an archive, until the records change; nil once they are unpacked.
  private var packed: (logs: ArraySlice<UInt8>, spans: ArraySlice<UInt8>)?
  private var unpackedLogs: [ContainerLog] = []
  private var unpackedSpans = noSpans
  private static let noSpans = Ring<SpanRecord>(capacity: Telemetry.recordRetention)

  init() {}

  /// Container logs, each at the number of its key.
  var logs: [ContainerLog] {
    get { packed.map { Self.unpack($0.logs, or: []) } ?? unpackedLogs }
    _modify {
      if packed != nil { unpackAll() }
      yield &unpackedLogs
    }
  }

  /// The most recent trace spans.
  var spans: Ring<SpanRecord> {
    get { packed.map { Self.unpack($0.spans, or: Self.noSpans) } ?? unpackedSpans }
    _modify {
      if packed != nil { unpackAll() }
      yield &unpackedSpans
    }
  }

  @inline(never) private mutating func unpackAll() {
    guard let packed else { return }
    unpackedLogs = Self.unpack(packed.logs, or: [])
    unpackedSpans = Self.unpack(packed.spans, or: Self.noSpans)
    self.packed = nil
  }

  /// The records packed in `bytes`; `empty` when they do not unpack, though the archive's checksum held.
  private static func unpack<Records: PackedRecord>(_ bytes: ArraySlice<UInt8>, or empty: Records) -> Records {
    var reader = PackedReader(bytes)
    guard let records = try? reader.read(Records.self), reader.isAtEnd else { return empty }
    return records
  }
}

extension BulkRecords: Equatable {
  static func == (lhs: BulkRecords, rhs: BulkRecords) -> Bool {
    if let left = lhs.packed, let right = rhs.packed, left.logs == right.logs, left.spans == right.spans { return true }
    return lhs.logs == rhs.logs && lhs.spans == rhs.spans
  }
}

extension BulkRecords: PackedRecord {
  /// Writes the logs and then the spans, each after its length, so that unpacking can leave them packed:
  /// the bytes they were read from, while unchanged.
  func pack(into writer: inout PackedWriter) {
    if let packed {
      writer.write(packed.logs.count)
      writer.append(bytes: packed.logs)
      writer.write(packed.spans.count)
      writer.append(bytes: packed.spans)
      return
    }
    for section in [Self.packed(unpackedLogs), Self.packed(unpackedSpans)] {
      writer.write(section.count)
      writer.append(bytes: section)
    }
  }

  private static func packed(_ records: some PackedRecord) -> [UInt8] {
    var writer = PackedWriter()
    writer.write(records)
    return writer.bytes
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    packed = (try reader.section(), try reader.section())
  }
}
