/// The fields of one Istio TEXT access-log line (`pilot/pkg/model/telemetry_logging.go`), with its
/// strings by the keys the telemetry gave them.
struct AccessLogEntry: Equatable, Sendable {
  var start: SimTime
  var code: Int
  /// `%RESPONSE_FLAGS%`: `-`, `UO`, `NC` …
  var flags: TelemetryKey<String>
  var details: TelemetryKey<String>
  var received: Int
  var sent: Int
  var duration: SimDuration
  var serviceTime: Int64?
  var requestID: RequestID?
  var authority: TelemetryKey<String>
  var upstreamHost: AddressKey?
  var cluster: TelemetryKey<String>
  var upstreamLocal: AddressKey?
  var downstreamLocal: AddressKey
  var downstreamRemote: AddressKey
  var serverName: TelemetryKey<String>?
  /// `:path` and `user-agent` of the request.
  var path: TelemetryKey<String>
  var userAgent: TelemetryKey<String>
  /// The method of an HTTP/1.1 request (`GET … HTTP/1.1`); nil for a gRPC `POST … HTTP/2`.
  var method: TelemetryKey<String>? = nil

  /// What the line shares with the other lines of its channel to the same upstream host.
  var context: AccessContext {
    AccessContext(
      code: Int32(clamping: code), flags: flags, details: details, authority: authority, cluster: cluster, path: path,
      userAgent: userAgent, serverName: serverName, upstreamHost: upstreamHost, downstreamLocal: downstreamLocal,
      method: method)
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
