/// The fields of one Istio TEXT access-log line (`pilot/pkg/model/telemetry_logging.go`).
struct AccessLogEntry: Equatable, Sendable {
  var start: SimTime
  var code: Int
  /// `%RESPONSE_FLAGS%`: `-`, `UO`, `NC` …
  var flags: String
  var details: String
  var received: Int
  var sent: Int
  var duration: SimDuration
  var serviceTime: Int64?
  var requestID: RequestID?
  var authority: String
  var upstreamHost: SocketAddress?
  var cluster: String
  var upstreamLocal: SocketAddress?
  var downstreamLocal: SocketAddress
  var downstreamRemote: SocketAddress
  var serverName: String?
  /// `:path` and `user-agent` of the request.
  var path = GreeterApp.method
  var userAgent = Cluster.grpcUserAgent

  /// The line, fields separated by spaces, empty ones as `-`.
  var text: String {
    let fields: [String] = [
      "[\(start.rfc3339(fractionDigits: 3))]", "\"POST \(path) HTTP/2\"", String(code), flags, details, "-", "\"-\"",
      String(received), String(sent), String(duration.milliseconds), serviceTime.map(String.init) ?? "-", "\"-\"",
      "\"\(userAgent)\"", "\"\(requestID?.description ?? "-")\"", "\"\(authority)\"",
      "\"\(upstreamHost?.description ?? "-")\"", cluster, upstreamLocal?.description ?? "-", downstreamLocal.description,
      downstreamRemote.description, serverName ?? "-", "default",
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
