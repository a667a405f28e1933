/// The fields of one Istio TEXT access-log line (`pilot/pkg/model/telemetry_logging.go`), with its
/// strings by number in the telemetry's `InternTable`, laid out to fit in 128 bytes.
struct AccessLogEntry: Equatable, Sendable {
  var start: SimTime
  var duration: SimDuration
  var requestID: RequestID?
  private var code: Int32
  private var received: Int32
  private var sent: Int32
  /// `%RESPONSE_DURATION%` less the time spent upstream, in milliseconds.
  private var serviceTime: Int32?
  /// `%RESPONSE_FLAGS%`: `-`, `UO`, `NC` …
  var flags: Interned<String>
  var details: Interned<String>
  var authority: Interned<String>
  var cluster: Interned<String>
  /// `:path` and `user-agent` of the request.
  var path: Interned<String>
  var userAgent: Interned<String>
  var serverName: Interned<String>?
  var upstreamHost: InternedAddress?
  var upstreamLocal: InternedAddress?
  var downstreamLocal: InternedAddress
  var downstreamRemote: InternedAddress

  init(
    start: SimTime, code: Int, flags: Interned<String>, details: Interned<String>, received: Int, sent: Int,
    duration: SimDuration, serviceTime: Int64?, requestID: RequestID?, authority: Interned<String>,
    upstreamHost: InternedAddress?, cluster: Interned<String>, upstreamLocal: InternedAddress?,
    downstreamLocal: InternedAddress, downstreamRemote: InternedAddress, serverName: Interned<String>?,
    path: Interned<String>, userAgent: Interned<String>
  ) {
    self.start = start
    self.duration = duration
    self.requestID = requestID
    self.code = Int32(clamping: code)
    self.received = Int32(clamping: received)
    self.sent = Int32(clamping: sent)
    self.serviceTime = serviceTime.map { Int32(clamping: $0) }
    self.flags = flags
    self.details = details
    self.authority = authority
    self.cluster = cluster
    self.path = path
    self.userAgent = userAgent
    self.serverName = serverName
    self.upstreamHost = upstreamHost
    self.upstreamLocal = upstreamLocal
    self.downstreamLocal = downstreamLocal
    self.downstreamRemote = downstreamRemote
  }

  /// The line, fields separated by spaces, empty ones as `-`.
  func text(_ strings: InternTable<String>) -> String {
    let fields: [String] = [
      "[\(start.rfc3339(fractionDigits: 3))]", "\"POST \(strings[path]) HTTP/2\"", String(code), strings[flags],
      strings[details], "-", "\"-\"", String(received), String(sent), String(duration.milliseconds),
      serviceTime.map(String.init) ?? "-", "\"-\"", "\"\(strings[userAgent])\"", "\"\(requestID?.description ?? "-")\"",
      "\"\(strings[authority])\"", "\"\(upstreamHost?.resolved(strings).description ?? "-")\"", strings[cluster],
      upstreamLocal?.resolved(strings).description ?? "-", downstreamLocal.resolved(strings).description,
      downstreamRemote.resolved(strings).description, serverName.map { strings[$0] } ?? "-", "default",
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
    let hex = String(high, radix: 16).leftPadded(to: 16) + String(low, radix: 16).leftPadded(to: 16)
    var chars = Array(hex)
    chars[12] = "9"
    chars[16] = Array("89ab")[Int(low >> 62)]
    return String(chars[0..<8]) + "-" + String(chars[8..<12]) + "-" + String(chars[12..<16]) + "-"
      + String(chars[16..<20]) + "-" + String(chars[20..<32])
  }
}
