/// A Gateway server the ingress gateway listens with, and the Gateway that declares it.
struct GatewayServer {
  var gateway: Gateway
  var server: Gateway.Server

  /// `namespace/name`, as VirtualServices bind to it.
  var reference: String { "\(gateway.metadata.namespace ?? "")/\(gateway.metadata.name)" }
  /// The server's hosts without their namespace prefix.
  var hosts: [String] { (server.hosts ?? []).map { $0.split(separator: "/").last.map(String.init) ?? $0 } }
}

/// What istiod gives an ingress gateway: the Gateway servers whose selector matches it, the filter chain
/// and credential for a TLS server name, and the routes of the VirtualServices bound to a server.
extension Istiod {
  /// The Gateway server whose hosts cover `serverName` on the gateway pod's HTTPS port, among the
  /// Gateways istiod sends the pod: as Envoy's filter-chain match prefers, an exact host first, then the
  /// longest wildcard suffix, then the oldest Gateway.
  func gatewayServer(on pod: Pod, serverName: String) -> GatewayServer? {
    let servicePort = store.service("istio-ingressgateway", in: pod.metadata.namespace ?? "")?.spec.ports?
      .first { $0.targetPort == .int(Cluster.gatewayHTTPSPort) }?.port ?? 443
    var candidates: [(specificity: Int, created: SimTime, server: GatewayServer)] = []
    for entry in gatewayServers(on: pod) where entry.server.port?.number == servicePort {
      let specificity = entry.hosts.map { $0.lowercased() }.filter { Self.hostMatches(pattern: $0, host: serverName) }
        .map { $0.hasPrefix("*") ? $0.count : Int.max }.max()
      guard let specificity else { continue }
      candidates.append((specificity, entry.gateway.metadata.createdAt, entry))
    }
    return candidates.min { (-$0.specificity, $0.created) < (-$1.specificity, $1.created) }?.server
  }

  /// Every server of the Gateways whose selector matches the gateway pod, among those istiod sends it.
  func gatewayServers(on pod: Pod) -> [GatewayServer] {
    let labels = pod.metadata.labels ?? [:]
    return store.list(.gateway).flatMap { object -> [GatewayServer] in
      guard case .gateway(let gateway) = object, isVisibleToProxies(gateway.metadata.namespace ?? ""),
        let selector = gateway.spec.selector, selector.allSatisfy({ labels[$0.key] == $0.value })
      else { return [] }
      return (gateway.spec.servers ?? []).map { GatewayServer(gateway: gateway, server: $0) }
    }
  }

  /// The VirtualServices bound to a gateway server whose hosts overlap the server's, oldest first.
  func virtualServices(boundTo server: GatewayServer) -> [VirtualService] {
    virtualServices(boundTo: server.reference) { host in
      server.hosts.contains { Self.hostsOverlap($0.lowercased(), host.lowercased()) }
    }
  }

  /// What istiod's secret reader serves for `credentialName` in the gateway's namespace: `cert` and
  /// `key`, else `tls.crt` and `tls.key`; the CA of `gatewayAuthoritySecret`. Nil when the secret is
  /// missing or does not load, and for `MUTUAL` without a CA: the server then gets no filter chain.
  func gatewayCredential(_ name: String?, in namespace: String, mutual: Bool) -> GatewayCredential? {
    guard let name, case .secret(let secret) = store[ObjectKey(kind: .secret, namespace: namespace, name: name)] else { return nil }
    guard let (certificates, key) = Self.keyPair(in: secret.decodedData),
      let identity = try? TLSIdentity(certificates: certificates, key: key)
    else { return nil }
    guard mutual else { return GatewayCredential(identity: identity, clientRoots: nil) }
    guard let authority = gatewayAuthoritySecret(name, in: namespace).flatMap(Self.certificateAuthority(in:)), let roots = try? PEM.certificates(in: authority), !roots.isEmpty else { return nil }
    return GatewayCredential(identity: identity, clientRoots: roots)
  }

  /// The data of the secret istiod reads a gateway credential's CA from: `<name>-cacert` when it exists,
  /// else the credential's own secret; nil when neither exists.
  func gatewayAuthoritySecret(_ name: String, in namespace: String) -> [String: String]? {
    for candidate in [name + "-cacert", name] {
      if case .secret(let secret) = store[ObjectKey(kind: .secret, namespace: namespace, name: candidate)] { return secret.decodedData }
    }
    return nil
  }

  /// The certificate chain and key a credential secret holds: `cert` and `key`, else `tls.crt` and
  /// `tls.key`; an empty value counts as missing.
  static func keyPair(in data: [String: String]) -> (certificates: String, key: String)? {
    let data = data.filter { !$0.value.isEmpty }
    return data["cert"].flatMap { cert in data["key"].map { (cert, $0) } }
      ?? data["tls.crt"].flatMap { cert in data["tls.key"].map { (cert, $0) } }
  }

  /// The certificate authority a credential secret holds: `cacert`, else `ca.crt`; an empty value counts as
  /// missing.
  static func certificateAuthority(in data: [String: String]) -> String? {
    [data["cacert"], data["ca.crt"]].compactMap { $0 }.first { !$0.isEmpty }
  }

  /// The gateway's routes for `host`: the VirtualServices bound to the gateway whose hosts cover both the
  /// request's host and one of the server's, merged oldest first as Istio merges them on a gateway; the
  /// first matching HTTP route wins. Without one the gateway answers 404 (`NR`).
  func gatewayRouteChoices(server: GatewayServer, host: String, path: String) -> Result<[RouteChoice], LocalReply> {
    let bound = virtualServices(boundTo: server).filter { service in
      let namespace = service.metadata.namespace ?? ""
      return (service.spec.hosts ?? []).contains { Self.hostMatches(pattern: Self.qualify($0, namespace: namespace).lowercased(), host: host) }
    }
    let port = server.server.port?.number ?? 443
    guard
      let (service, rule) = bound.lazy.compactMap({ service in
        Self.firstMatch(in: service, port: port, path: path, gateway: server.reference).map { (service, $0) }
      }).first,
      let destinations = rule.route, !destinations.isEmpty
    else { return .failure(Self.routeNotFound) }
    let namespace = service.metadata.namespace ?? ""
    return .success(destinations.map { weighted in
      var destination = weighted.destination
      destination.host = Self.qualify(destination.host, namespace: namespace)
      let fqdn = destination.host
      let target = destination.port?.number ?? meshService(forHost: fqdn, from: namespace)?.spec.ports?.first?.port ?? 0
      let operation = destinations.count > 1 ? "\(service.metadata.name):\(target)/*" : "\(fqdn):\(target)/*"
      return RouteChoice(
        weight: weighted.effectiveWeight(among: destinations.count),
        route: outboundRoute(
          to: destination, from: Cluster.controlPlaneNamespace, virtualService: "\(service.metadata.name).\(namespace)",
          operation: operation))
    })
  }
}
