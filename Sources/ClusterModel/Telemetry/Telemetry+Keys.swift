/// The keys the data plane passes to the telemetry in place of values it hands over again and again:
/// a server's, a channel's and a route's names and addresses, given once when the server, channel or route
/// is first used. Only the telemetry reads what a key stands for.
extension Telemetry {
  /// The keys a call carries of its server: the pod's, its IP's and its proxy's `identity`'s, and its
  /// app's (`app`) and sidecar's logs.
  mutating func serverKeys(
    of pod: PodRef, uid: String, ip: String, identity: ProxyIdentity, app: String, sidecar: Bool
  ) -> ServerKeys {
    let (podKey, ipKey, identityKey) = (key(pod), key(ip), key(identity))
    return ServerKeys(
      appLog: logID(ContainerLogKey(podUID: uid, container: app)),
      proxyLog: logID(ContainerLogKey(podUID: uid, container: "istio-proxy")), pod: podKey, ip: ipKey,
      identity: identityKey, sidecar: sidecar)
  }

  /// `route` with the keys of its names.
  mutating func keyed(_ route: OutboundRoute) -> OutboundRoute {
    var route = route
    route.keys = keys(of: route)
    return route
  }

  /// The keys of the route's names.
  mutating func keys(of route: OutboundRoute) -> RouteKeys {
    route.keys
      ?? RouteKeys(
        cluster: key(route.clusterName), host: key(route.host), operation: key(route.operation),
        serverName: key(route.serverName), virtualService: route.virtualService.map { key($0) })
  }

  /// The keys of the channel's names and addresses.
  mutating func keys(of channel: Channel) -> ChannelKeys {
    channel.keys
      ?? ChannelKeys(
        authority: key(channel.authority), path: key(channel.path), userAgent: key(channel.userAgent),
        serverName: channel.serverName.map { key($0) }, destination: key(channel.destination),
        source: key(channel.source), method: channel.method.map { key($0) })
  }
}

/// What a call carries of its server: keys only, so that it is copied without reference counting.
struct ServerKeys: Equatable, Sendable, Codable {
  /// The app's and the sidecar's logs.
  var appLog: LogID
  var proxyLog: LogID
  /// The pod, its IP and its proxy's identity.
  var pod: TelemetryKey<PodRef>
  var ip: TelemetryKey<String>
  var identity: TelemetryKey<ProxyIdentity>
  /// The pod has a sidecar, which reports the call.
  var sidecar: Bool
}

/// The keys of the strings and addresses a channel's access-log lines repeat.
struct ChannelKeys: Equatable, Sendable {
  /// `:authority`, `:path` and `user-agent` of the channel's calls.
  var authority: TelemetryKey<String>
  var path: TelemetryKey<String>
  var userAgent: TelemetryKey<String>
  /// The TLS server name the downstream connection asked for.
  var serverName: TelemetryKey<String>?
  /// Where the app dialled, and the app's end of the connection.
  var destination: AddressKey
  var source: AddressKey
  /// The method of the channel's HTTP/1.1 requests; nil for gRPC.
  var method: TelemetryKey<String>?
}

/// The keys of the strings of an outbound route that access logs and spans repeat.
struct RouteKeys: Equatable, Sendable {
  /// The Envoy cluster, the destination host, the span's operation and the upstream TLS server name.
  var cluster: TelemetryKey<String>
  var host: TelemetryKey<String>
  var operation: TelemetryKey<String>
  var serverName: TelemetryKey<String>
  /// The VirtualService that routed the request, as `name.namespace`.
  var virtualService: TelemetryKey<String>?
}

/// The key of a socket address: its IP's key and its port, in eight bytes (ports are at most 65535).
struct AddressKey: Hashable, Sendable, Codable {
  /// The IP's key.
  var ip: TelemetryKey<String>
  /// The port.
  private(set) var port: Int32

  /// The key of the address at `ip`'s key and `port`.
  init(ip: TelemetryKey<String>, port: Int) {
    self.ip = ip
    self.port = Int32(clamping: port)
  }

  /// The address, read from the telemetry's `strings`.
  func resolved(_ strings: InternTable<String>) -> SocketAddress { SocketAddress(ip: strings[ip], port: Int(port)) }
}
