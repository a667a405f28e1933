import Foundation

/// The records a session writes most of, container logs and traces, which most commands that read
/// telemetry (`check`, `oc get`) never look at: telemetry unpacked from a snapshot keeps them packed until
/// they are read, unpacking each kind once, and copies them out when they change.
struct BulkRecords: Sendable {
  /// One kind of records as an archive packed them, unpacked when first read.
  private struct Section<Records: PackedRecord & Sendable>: ArchivedForm {
    var bytes: Data

    func decoded() -> Records? { PackedReader.record(filling: bytes) }
  }

  /// The logs and traces of an archive until they change; nil once they are copied out, or when the
  /// records were never archived.
  private var packed: (logs: ArchiveBox<Section<[ContainerLog]>>, traces: ArchiveBox<Section<Ring<TraceRecord>>>)?
  private var unpackedLogs: [ContainerLog] = []
  private var unpackedTraces = Ring<TraceRecord>(capacity: Telemetry.traceRetention)

  init() {}

  /// Container logs, each at the number of its key.
  var logs: [ContainerLog] {
    get {
      guard let packed else { return unpackedLogs }
      packed.logs.decode()
      return packed.logs.value
    }
    _modify {
      if packed != nil { copyOut() }
      yield &unpackedLogs
    }
  }

  /// The most recent traces.
  var traces: Ring<TraceRecord> {
    get {
      guard let packed else { return unpackedTraces }
      packed.traces.decode()
      return packed.traces.value
    }
    _modify {
      if packed != nil { copyOut() }
      yield &unpackedTraces
    }
  }

  /// Takes the records out of the archive's boxes, which copies of the telemetry may share, to change them.
  @inline(never) private mutating func copyOut() {
    unpackedLogs = logs
    unpackedTraces = traces
    packed = nil
  }
}

extension BulkRecords: Equatable {
  static func == (lhs: BulkRecords, rhs: BulkRecords) -> Bool {
    lhs.logs == rhs.logs && lhs.traces == rhs.traces
  }
}

extension BulkRecords {
  /// Writes the logs and then the traces, each after its length, so that unpacking can leave them packed:
  /// the bytes they were read from, while unchanged.
  func pack(into writer: inout PackedWriter) {
    let sections = packed.map { [$0.logs.withForm { form, _ in form?.bytes ?? Data() }, $0.traces.withForm { form, _ in form?.bytes ?? Data() }] }
      ?? [PackedWriter.bytes(of: unpackedLogs), PackedWriter.bytes(of: unpackedTraces)]
    for section in sections {
      writer.write(section.count)
      writer.append(bytes: section)
    }
  }

  /// The sections `pack(into:)` wrote, left packed. The logs must hold `logCount` logs, one per key of
  /// the telemetry's log table; logs that do not unpack, though their count is right, are empty logs.
  ///
  /// - Throws: When a section is cut short, or the logs' count is not `logCount`.
  init(unpacking reader: inout PackedReader, logCount: Int) throws(PackedReader.Truncated) {
    let logs = try reader.section()
    var count = PackedReader(logs)
    guard try count.read(Int.self) == logCount else { throw PackedReader.Truncated() }
    packed = (
      ArchiveBox(Section(bytes: logs), empty: Array(repeating: ContainerLog(), count: logCount)),
      ArchiveBox(Section(bytes: try reader.section()), empty: Ring(capacity: Telemetry.traceRetention))
    )
  }
}
