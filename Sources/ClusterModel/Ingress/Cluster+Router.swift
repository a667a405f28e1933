extension Cluster {
  /// The address `*.apps` names resolve to on the workstation: the load balancer in front of the router.
  public static let routerAddress = "203.0.113.10"
  /// The workstation's own address, as the router sees it.
  static let workstationAddress = "192.0.2.15"

  /// Makes a gRPC call from the learner's workstation: DNS, the OpenShift router, and whatever the
  /// route sends the connection to. Time passes on the simulated clock only (a connect timeout too).
  public mutating func callFromWorkstation(_ call: WorkstationCall) -> WorkstationCallOutcome {
    now = now + random.network.duration(in: .milliseconds(1)...(.milliseconds(4)))
    var record = WorkstationCallRecord(time: now, host: call.host, path: call.path, outcome: .dialFailed(""))
    let outcome: WorkstationCallOutcome
    switch dialGateway(call, record: &record) {
    case .success(let connection):
      outcome = call.connectOnly ? .connected : .completed(forwardFromGateway(call, over: connection, record: &record))
    case .failure(.failed(let reason)):
      outcome = .dialFailed(reason)
    case .failure(.timedOut), .failure(.unusable), .failure(.refused):
      outcome = timeOut(call)
    }
    record.outcome = outcome
    telemetry.record(record)
    reconcile()
    return outcome
  }

  /// DNS on the workstation: `localhost`, and the cluster's wildcard `*.<apps domain>` record that points
  /// at the router; the Routes themselves are not in DNS.
  func resolveFromWorkstation(_ host: String) -> String? {
    if PodNetwork.isIPv4(host) { return host }
    let name = host.lowercased()
    if name == "localhost" { return "127.0.0.1" }
    return name.hasSuffix("." + appsDomain) ? Self.routerAddress : nil
  }

  /// Waits out the connect timeout: what grpcurl does while every attempt fails with an error gRPC retries.
  mutating func timeOut(_ call: WorkstationCall) -> WorkstationCallOutcome {
    now = now + call.connectTimeout
    return .dialFailed("context deadline exceeded")
  }

  /// Dials the call's host from the workstation: DNS, the router's frontends and the passthrough Route, and
  /// the ingress gateway's TLS handshake.
  mutating func dialGateway(_ call: WorkstationCall, record: inout WorkstationCallRecord) -> Result<GatewayConnection, GatewayDialFailure> {
    guard let address = resolveFromWorkstation(call.host) else {
      return .failure(.failed("dial tcp: lookup \(call.host) on 127.0.0.53:53: no such host"))
    }
    if address.hasPrefix("127.") {
      return .failure(.failed("dial tcp \(address):\(call.port): connect: connection refused"))
    }
    guard address == Self.routerAddress else { return .failure(.timedOut) }
    switch call.port {
    case 443: break
    case 80:
      // HAProxy's HTTP frontend speaks HTTP/1.1: an HTTP/2 preface gets a 400 that gRPC cannot read,
      // and a TLS client hello gets plain text back.
      return .failure(
        call.plaintext
          ? .unusable("error reading server preface: http2: frame too large") : .failed("tls: first record does not look like a TLS handshake"))
    default:
      return .failure(.failed("dial tcp \(address):\(call.port): connect: connection refused"))
    }
    now = now + oneWayLatency() + oneWayLatency()
    if call.plaintext { return .failure(.timedOut) }
    // gRPC sends the authority's host as the TLS server name (none for an address); HAProxy matches it
    // case-insensitively.
    let authorityHost = call.authority.map { String($0.split(separator: ":").first ?? "") } ?? call.host
    let serverName = PodNetwork.isIPv4(authorityHost) ? "" : authorityHost.lowercased()
    guard let route = admittedRoute(forHost: serverName), route.spec.tls?.termination == "passthrough" else {
      // The router ends TLS itself with its default certificate, which the ingress operator's own CA
      // signed, and offers HTTP/1.1 only.
      return .failure(call.insecure ? .timedOut : .failed(CertificateRejection.unknownAuthority.goDescription))
    }
    guard let (backend, port) = passthroughBackend(of: route) else { return .failure(.failed("EOF")) }
    guard backend.metadata.labels?["istio"] == "ingressgateway", port == Self.gatewayHTTPSPort else {
      return .failure(.failed("tls: first record does not look like a TLS handshake"))
    }
    record.gateway = PodRef(namespace: backend.metadata.namespace ?? "", name: backend.metadata.name)
    return handshake(call, serverName: serverName, on: backend, record: &record)
  }

  /// The admitted Route that claims `host`, the oldest first, as the router orders them.
  func admittedRoute(forHost host: String) -> Route? {
    store.list(.route).compactMap { object -> Route? in
      guard case .route(let route) = object, route.spec.host?.lowercased() == host, !host.isEmpty else { return nil }
      return route
    }.min { ($0.metadata.creationTimestamp?.time ?? now) < ($1.metadata.creationTimestamp?.time ?? now) }
  }

  /// The pod and port a passthrough route sends this workstation's connections to: the endpoint port of
  /// the Service port the route names (by name or number; the first without one). HAProxy balances
  /// passthrough backends by source address, so one client keeps reaching the same ready endpoint.
  private func passthroughBackend(of route: Route) -> (Pod, Int)? {
    let namespace = route.metadata.namespace ?? ""
    guard route.spec.to.kind == "Service", let service = store.service(route.spec.to.name, in: namespace) else { return nil }
    let servicePort = (service.spec.ports ?? []).first { port in
      switch route.spec.port?.targetPort {
      case .string(let name): port.name == name
      case .int(let number): port.port == number || port.targetPort == .int(number)
      case nil: true
      }
    }
    guard let servicePort else { return nil }
    let backends = network.backends(of: service, port: servicePort)
    guard !backends.isEmpty else { return nil }
    let hash = Self.workstationAddress.unicodeScalars.reduce(UInt32(2_166_136_261)) { ($0 ^ $1.value) &* 16_777_619 }
    let backend = backends[Int(hash % UInt32(backends.count))]
    return (backend.pod, backend.address.port)
  }
}
