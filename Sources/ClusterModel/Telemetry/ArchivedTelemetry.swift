import Synchronization

/// A cluster's telemetry as the cluster keeps it. A cluster made from an archive keeps its telemetry packed
/// until something reads it, so that a command that observes nothing (`oc get pods`) does not unpack a long
/// session's calls, spans and log lines; an archive made again before that writes the packed bytes back.
struct ArchivedTelemetry: Equatable, Sendable {
  /// The telemetry, or its packed bytes until first read. Copies of a cluster share a box until one
  /// changes its telemetry, which then gets a box of its own.
  private final class Box: @unchecked Sendable {
    /// Whether `value` holds the telemetry: set once, after `packed` is unpacked under `unpacking`.
    let isUnpacked: Atomic<Bool>
    let unpacking = Mutex(())
    /// What `ArchivedTelemetry.pack(into:)` wrote: the length and the checksum of the packed telemetry,
    /// then the telemetry; empty once the telemetry changed.
    var packed: ArraySlice<UInt8>
    /// The telemetry once unpacked. Only the holder of the only reference changes it, and the data plane
    /// changes it on every call, so its accesses are not checked for exclusivity at run time.
    @exclusivity(unchecked) var value: Telemetry
    /// The revision of the packed telemetry, its first field.
    let packedRevision: Int

    init(_ value: Telemetry) {
      isUnpacked = Atomic(true)
      packed = []
      self.value = value
      packedRevision = 0
    }

    init(packed: ArraySlice<UInt8>) throws(PackedReader.Truncated) {
      var reader = PackedReader(packed)
      guard packed.count >= 16, try reader.integer(UInt64.self) == UInt64(packed.count - 16),
        try reader.integer(UInt64.self) == Checksum.fnv1a(packed.dropFirst(16))
      else { throw PackedReader.Truncated() }
      packedRevision = try reader.read()
      isUnpacked = Atomic(false)
      self.packed = packed
      value = Telemetry()
    }

    /// Unpacks `packed` into `value` unless that was done. Bytes that do not unpack, though their checksum
    /// holds, leave the telemetry empty, as a new cluster's.
    func unpack() {
      if isUnpacked.load(ordering: .acquiring) { return }
      unpackOnce()
    }

    @inline(never) private func unpackOnce() {
      unpacking.withLock { _ in
        guard !isUnpacked.load(ordering: .relaxed) else { return }
        var reader = PackedReader(packed.dropFirst(16))
        if let telemetry = try? reader.read(Telemetry.self), reader.isAtEnd {
          value = telemetry
        }
        isUnpacked.store(true, ordering: .releasing)
      }
    }
  }

  private var box: Box

  init(_ telemetry: Telemetry) {
    box = Box(telemetry)
  }

  /// The telemetry `pack(into:)` wrote as `packed`, unpacked when first read.
  ///
  /// - Throws: When `packed` is not as long as it says, or its checksum does not hold.
  init(packed: ArraySlice<UInt8>) throws(PackedReader.Truncated) {
    box = try Box(packed: packed)
  }

  var telemetry: Telemetry {
    _read {
      box.unpack()
      yield box.value
    }
    _modify {
      box.unpack()
      if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
      if !box.packed.isEmpty { box.packed = [] }
      yield &box.value
    }
  }

  /// The telemetry's revision, read without unpacking it.
  var revision: Int {
    box.isUnpacked.load(ordering: .acquiring) ? box.value.revision.value : box.packedRevision
  }

  /// Writes the length and the checksum of the packed telemetry, then the telemetry as
  /// `Telemetry.pack(into:)` packs it: the bytes it was read from, while unchanged.
  func pack(into writer: inout PackedWriter) {
    box.unpacking.withLock { _ in
      if !box.packed.isEmpty { return writer.append(bytes: box.packed) }
      var telemetry = PackedWriter()
      telemetry.write(box.value)
      writer.append(integer: UInt64(telemetry.bytes.count))
      writer.append(integer: Checksum.fnv1a(telemetry.bytes))
      writer.append(bytes: telemetry.bytes)
    }
  }

  static func == (lhs: ArchivedTelemetry, rhs: ArchivedTelemetry) -> Bool {
    lhs.box === rhs.box || lhs.telemetry == rhs.telemetry
  }
}
