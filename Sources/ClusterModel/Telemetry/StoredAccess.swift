/// The fields of access-log lines that stay the same from call to call on one channel to one upstream
/// host (the request's names, the route, the addresses), kept once by number; each line keeps only what
/// changes from call to call (`StoredAccess`).
struct AccessContext: Hashable, Sendable {
  var code: Int32
  var flags: TelemetryKey<String>
  var details: TelemetryKey<String>
  var authority: TelemetryKey<String>
  var cluster: TelemetryKey<String>
  var path: TelemetryKey<String>
  var userAgent: TelemetryKey<String>
  var serverName: TelemetryKey<String>?
  var upstreamHost: AddressKey?
  var downstreamLocal: AddressKey
  /// The method of an HTTP/1.1 request (`GET … HTTP/1.1`); nil for a gRPC `POST … HTTP/2`.
  var method: TelemetryKey<String>? = nil
}

/// The access contexts numbered last, two to a set their fields pick, so that the lines traffic writes
/// are numbered without hashing their contexts. It only saves work: equality ignores it, archives leave it
/// out, and a context it does not hold is numbered by the table.
struct RecentAccessContexts: Equatable, Sendable {
  /// A context and its number.
  private struct Slot: Sendable {
    var context: AccessContext
    var number: TelemetryKey<AccessContext>
  }

  /// How many sets there are.
  private static let setCount = 1024
  /// Two slots per set, the one used last first.
  private var slots: [Slot?] = []

  /// The number `context` was given, if its set still holds it.
  func number(of context: AccessContext) -> TelemetryKey<AccessContext>? {
    guard !slots.isEmpty else { return nil }
    let first = Self.set(of: context) * 2
    for slot in first...first + 1 {
      if let kept = slots[slot], kept.context == context { return kept.number }
    }
    return nil
  }

  /// Keeps `context`'s number first in its set, in place of the context used before the other one.
  mutating func remember(_ context: AccessContext, as number: TelemetryKey<AccessContext>) {
    if slots.isEmpty { slots = Array(repeating: nil, count: Self.setCount * 2) }
    let first = Self.set(of: context) * 2
    slots[first + 1] = slots[first]
    slots[first] = Slot(context: context, number: number)
  }

  /// The set of `context`: a multiplicative hash of the fields that tell a channel's lines apart (the
  /// route's cluster and the addresses at each end), which is all a set needs.
  private static func set(of context: AccessContext) -> Int {
    var hash = UInt64(UInt32(bitPattern: context.code))
    func mix(_ value: Int32?) { hash = (hash ^ UInt64(UInt32(bitPattern: value ?? -1))) &* 0x9E37_79B9_7F4A_7C15 }
    mix(context.cluster.index)
    mix(context.upstreamHost?.ip.index)
    mix(context.downstreamLocal.ip.index)
    mix(context.downstreamLocal.port)
    return Int(truncatingIfNeeded: hash >> 54) & (setCount - 1)
  }

  /// True: what is kept only saves work.
  static func == (lhs: RecentAccessContexts, rhs: RecentAccessContexts) -> Bool { true }
}

/// An access-log line as a log keeps it: what changes from call to call, and the number of the rest.
struct StoredAccess: Equatable, Sendable {
  var start: SimTime
  var requestID: RequestID?
  /// `%DURATION%` and `%RESPONSE_DURATION%` less the time upstream, in milliseconds.
  private(set) var duration: Int32
  private(set) var serviceTime: Int32?
  private(set) var received: Int32
  private(set) var sent: Int32
  var context: TelemetryKey<AccessContext>
  var upstreamLocal: AddressKey?
  var downstreamRemote: AddressKey

  /// The line `entry` describes, whose `context` has number `context`.
  init(_ entry: AccessLogEntry, context: TelemetryKey<AccessContext>) {
    start = entry.start
    requestID = entry.requestID
    duration = Int32(clamping: entry.duration.milliseconds)
    serviceTime = entry.serviceTime.map { Int32(clamping: $0) }
    received = Int32(clamping: entry.received)
    sent = Int32(clamping: entry.sent)
    self.context = context
    upstreamLocal = entry.upstreamLocal
    downstreamRemote = entry.downstreamRemote
  }

  /// The line, fields separated by spaces, empty ones as `-`.
  func text(_ strings: InternTable<String>, contexts: InternTable<AccessContext>) -> String {
    let shared = contexts[context]
    let fields: [String] = [
      "[\(start.rfc3339(fractionDigits: 3))]", shared.method.map { "\"\(strings[$0]) \(strings[shared.path]) HTTP/1.1\"" } ?? "\"POST \(strings[shared.path]) HTTP/2\"", String(shared.code),
      strings[shared.flags], strings[shared.details], "-", "\"-\"", String(received), String(sent),
      String(duration), serviceTime.map(String.init) ?? "-", "\"-\"", "\"\(strings[shared.userAgent])\"",
      "\"\(requestID?.description ?? "-")\"", "\"\(strings[shared.authority])\"",
      "\"\(shared.upstreamHost?.resolved(strings).description ?? "-")\"", strings[shared.cluster],
      upstreamLocal?.resolved(strings).description ?? "-", shared.downstreamLocal.resolved(strings).description,
      downstreamRemote.resolved(strings).description, shared.serverName.map { strings[$0] } ?? "-", "default",
    ]
    return fields.joined(separator: " ")
  }
}

extension StoredAccess: PackedRecord {
  func pack(into writer: inout PackedWriter) {
    writer.write(start)
    writer.write(requestID)
    writer.write(duration)
    writer.write(serviceTime)
    writer.write(received)
    writer.write(sent)
    writer.write(context)
    writer.write(upstreamLocal)
    writer.write(downstreamRemote)
  }

  init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
    start = try reader.read()
    requestID = try reader.read()
    duration = try reader.read()
    serviceTime = try reader.read()
    received = try reader.read()
    sent = try reader.read()
    context = try reader.read()
    upstreamLocal = try reader.read()
    downstreamRemote = try reader.read()
  }
}
