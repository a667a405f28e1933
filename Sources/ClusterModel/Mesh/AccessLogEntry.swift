/// The fields of one Istio TEXT access-log line (`pilot/pkg/model/telemetry_logging.go`), with its
/// strings by number in the telemetry's `InternTable`.
struct AccessLogEntry: Equatable, Sendable {
  var start: SimTime
  var code: Int
  /// `%RESPONSE_FLAGS%`: `-`, `UO`, `NC` …
  var flags: Interned<String>
  var details: Interned<String>
  var received: Int
  var sent: Int
  var duration: SimDuration
  var serviceTime: Int64?
  var requestID: RequestID?
  var authority: Interned<String>
  var upstreamHost: InternedAddress?
  var cluster: Interned<String>
  var upstreamLocal: InternedAddress?
  var downstreamLocal: InternedAddress
  var downstreamRemote: InternedAddress
  var serverName: Interned<String>?
  /// `:path` and `user-agent` of the request.
  var path: Interned<String>
  var userAgent: Interned<String>
  /// The method of an HTTP/1.1 request (`GET … HTTP/1.1`); nil for a gRPC `POST … HTTP/2`.
  var method: Interned<String>? = nil

  /// What the line shares with the other lines of its channel to the same upstream host.
  var context: AccessContext {
    AccessContext(
      code: Int32(clamping: code), flags: flags, details: details, authority: authority, cluster: cluster, path: path,
      userAgent: userAgent, serverName: serverName, upstreamHost: upstreamHost, downstreamLocal: downstreamLocal,
      method: method)
  }
}

/// The fields of access-log lines that stay the same from call to call on one channel to one upstream
/// host (the request's names, the route, the addresses), kept once by number.
struct AccessContext: Hashable, Sendable {
  var code: Int32
  var flags: Interned<String>
  var details: Interned<String>
  var authority: Interned<String>
  var cluster: Interned<String>
  var path: Interned<String>
  var userAgent: Interned<String>
  var serverName: Interned<String>?
  var upstreamHost: InternedAddress?
  var downstreamLocal: InternedAddress
  /// The method of an HTTP/1.1 request (`GET … HTTP/1.1`); nil for a gRPC `POST … HTTP/2`.
  var method: Interned<String>? = nil
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
  var context: Interned<AccessContext>
  var upstreamLocal: InternedAddress?
  var downstreamRemote: InternedAddress

  /// The line `entry` describes, whose `context` has number `context`.
  init(_ entry: AccessLogEntry, context: Interned<AccessContext>) {
    self.init(
      start: entry.start, requestID: entry.requestID, duration: entry.duration, serviceTime: entry.serviceTime,
      received: entry.received, sent: entry.sent, context: context, upstreamLocal: entry.upstreamLocal,
      downstreamRemote: entry.downstreamRemote)
  }

  /// A line from the fields that change from call to call, and the number of the rest (`AccessContext`).
  init(
    start: SimTime, requestID: RequestID?, duration: SimDuration, serviceTime: Int64?, received: Int, sent: Int,
    context: Interned<AccessContext>, upstreamLocal: InternedAddress?, downstreamRemote: InternedAddress
  ) {
    self.start = start
    self.requestID = requestID
    self.duration = Int32(clamping: duration.milliseconds)
    self.serviceTime = serviceTime.map { Int32(clamping: $0) }
    self.received = Int32(clamping: received)
    self.sent = Int32(clamping: sent)
    self.context = context
    self.upstreamLocal = upstreamLocal
    self.downstreamRemote = downstreamRemote
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

/// An `x-request-id`: a version-4 UUID whose 15th character is `9`, Envoy's mark for a sampled trace.
public struct RequestID: Hashable, Sendable, CustomStringConvertible {
  var high: UInt64
  var low: UInt64

  /// `8-4-4-4-12` lower-case hexadecimal digits.
  public var description: String {
    Hex.uuid(high: high, low: low, version: 9)
  }
}
