import Foundation

/// A cluster's telemetry as the cluster keeps it. A cluster made from an archive keeps its telemetry packed
/// until something reads it, so that a command that observes nothing (`oc get pods`) does not unpack a long
/// session's calls; an archive made again before that writes the packed bytes back. Logs and traces stay
/// packed longer still (`BulkRecords`).
struct ArchivedTelemetry: Equatable, Sendable {
  /// What `pack(into:)` wrote: the length and the checksum of the packed telemetry, then the telemetry,
  /// whose first field is its revision.
  private struct Packed: ArchivedForm {
    var bytes: Data
    var revision: Int

    /// The telemetry; nil when the bytes do not unpack, though their checksum holds.
    func decoded() -> Telemetry? { PackedReader.record(filling: bytes.dropFirst(16)) }
  }

  private var box: ArchiveBox<Packed>

  init(_ telemetry: Telemetry) {
    box = ArchiveBox(telemetry)
  }

  /// The telemetry `pack(into:)` wrote as `packed`, unpacked when first read; bytes that do not unpack,
  /// though their checksum holds, leave it empty.
  ///
  /// - Throws: When `packed` is not as long as it says, or its checksum does not hold.
  init(packed: Data) throws(PackedReader.Truncated) {
    var reader = PackedReader(packed)
    guard packed.count >= 16, try reader.integer(UInt64.self) == UInt64(packed.count - 16),
      try reader.integer(UInt64.self) == Checksum.fnv1a(packed.dropFirst(16))
    else { throw PackedReader.Truncated() }
    box = ArchiveBox(Packed(bytes: packed, revision: try reader.read()), empty: Telemetry())
  }

  var telemetry: Telemetry {
    _read {
      box.decode()
      yield box.value
    }
    _modify {
      ArchiveBox.prepareForChange(&box)
      yield &box.value
    }
  }

  /// The telemetry's revision, read without unpacking it.
  var revision: Int {
    box.holdsValue ? box.value.revision.value : box.form?.revision ?? 0
  }

  /// Writes the length and the checksum of the packed telemetry, then the telemetry as
  /// `Telemetry.pack(into:)` packs it: the bytes it was read from, while unchanged.
  func pack(into writer: inout PackedWriter) {
    box.withForm { packed, value in
      if let packed { return writer.append(bytes: packed.bytes) }
      var telemetry = PackedWriter()
      telemetry.write(value)
      writer.append(integer: UInt64(telemetry.bytes.count))
      writer.append(integer: Checksum.fnv1a(telemetry.bytes))
      writer.append(bytes: telemetry.bytes)
    }
  }

  static func == (lhs: ArchivedTelemetry, rhs: ArchivedTelemetry) -> Bool {
    lhs.box === rhs.box || lhs.telemetry == rhs.telemetry
  }
}
