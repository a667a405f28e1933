/// The OpenShift router (HAProxy) as the learner's workstation meets it: the apps domain's wildcard DNS
/// record, the load balancer's frontends, and the passthrough Route that claims a connection's server
/// name.
///
/// It reads the stored Routes, Services and Endpoints and decides where a connection goes; `Cluster`
/// times the connection and hands what passes through to the ingress gateway.
struct Router {
  /// The address `*.apps` names resolve to on the workstation: the load balancer in front of the router.
  static let address = "203.0.113.10"
  /// The workstation's own address, as the router sees it.
  static let workstationAddress = "192.0.2.15"

  /// The stored objects: Routes, Services, Endpoints, the router's pods.
  let store: ObjectStore
  /// The domain routes are served under.
  let appsDomain: String

  /// Where the router sends one of the workstation's connections.
  enum Decision: Equatable {
    /// The dial failed before any TLS frontend took the connection: no DNS record, a loopback address,
    /// an address nothing answers at, a port nothing listens on, or port 80, whose HTTP frontend answers at
    /// once.
    case dialFailed(GatewayDialFailure)
    /// The router's TLS frontend took the connection, a round trip away, and answered it itself.
    case answered(GatewayDialFailure)
    /// The router passed the connection through to `backend`, whose TLS handshake sees `serverName`.
    case passedThrough(backend: Pod, serverName: String)
  }

  /// Decides where `call`'s connection goes: DNS on the workstation, the frontends, then the passthrough
  /// Route for the server name gRPC sends.
  func route(_ call: WorkstationCall) -> Decision {
    guard let address = resolve(call.host) else {
      return .dialFailed(.failed("dial tcp: lookup \(call.host) on 127.0.0.53:53: no such host"))
    }
    if address.hasPrefix("127.") {
      return .dialFailed(.failed("dial tcp \(address):\(call.port): connect: connection refused"))
    }
    guard address == Self.address else { return .dialFailed(.timedOut) }
    switch call.port {
    case 443: break
    case 80:
      // HAProxy's HTTP frontend speaks HTTP/1.1: an HTTP/2 preface gets a 400 that gRPC cannot read,
      // and a TLS client hello gets plain text back.
      return .dialFailed(
        call.plaintext
          ? .unusable("error reading server preface: http2: frame too large") : .failed("tls: first record does not look like a TLS handshake"))
    default:
      return .dialFailed(.failed("dial tcp \(address):\(call.port): connect: connection refused"))
    }
    if call.plaintext { return .answered(.timedOut) }
    // gRPC sends the authority's host as the TLS server name (none for an address); HAProxy matches it
    // case-insensitively.
    let authorityHost = call.authority.map { String($0.split(separator: ":").first ?? "") } ?? call.host
    let serverName = SocketAddress.isIPv4(authorityHost) ? "" : authorityHost.lowercased()
    guard let route = admittedRoute(forHost: serverName), route.spec.tls?.termination == "passthrough" else {
      // The router ends TLS itself with its default certificate, which the ingress operator's own CA
      // signed, and offers HTTP/1.1 only.
      return .answered(call.insecure ? .timedOut : .failed(CertificateRejection.unknownAuthority.goDescription))
    }
    guard let (backend, port) = passthroughBackend(of: route) else { return .answered(.failed("EOF")) }
    guard backend.metadata.labels?["istio"] == "ingressgateway", port == Cluster.gatewayHTTPSPort else {
      return .answered(.failed("tls: first record does not look like a TLS handshake"))
    }
    return .passedThrough(backend: backend, serverName: serverName)
  }

  /// DNS on the workstation: `localhost`, and the cluster's wildcard `*.<apps domain>` record that points
  /// at the router; the Routes themselves are not in DNS.
  func resolve(_ host: String) -> String? {
    if SocketAddress.isIPv4(host) { return host }
    let name = host.lowercased()
    if name == "localhost" { return "127.0.0.1" }
    return name.hasSuffix("." + appsDomain) ? Self.address : nil
  }

  /// The admitted Route that claims `host`, the oldest first, as the router orders them.
  func admittedRoute(forHost host: String) -> Route? {
    guard !host.isEmpty else { return nil }
    return store.list(.route).compactMap { object -> Route? in
      guard case .route(let route) = object, route.spec.host?.lowercased() == host else { return nil }
      return route
    }.min { $0.metadata.createdAt < $1.metadata.createdAt }
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
    let backends = store.backends(of: service, port: servicePort)
    guard !backends.isEmpty else { return nil }
    let hash = Checksum.fnv1a32(Self.workstationAddress.utf8)
    let backend = backends[Int(hash % UInt32(backends.count))]
    return (backend.pod, backend.address.port)
  }

  /// The address of the router pod that passes connections through (HAProxy does not keep the client's).
  var podAddress: String {
    store.pods(in: "openshift-ingress").compactMap { $0.status?.podIP }.sorted().first ?? Self.address
  }
}
