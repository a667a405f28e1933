/// Where a sidecar sends one request: the route it matched and the Envoy cluster behind it.
struct OutboundRoute: Equatable, Sendable {
  /// The destination Service, as `namespace/name`.
  var service: PodRef
  /// The service's fully qualified host name.
  var host: String
  var port: Int
  /// The DestinationRule subset, if the route names one.
  var subset: String?
  /// The Envoy cluster: `outbound|9000|v1|grpc.grpc.svc.cluster.local`.
  var clusterName: String
  /// The VirtualService that routed the request, as `name.namespace`, or nil for the default route.
  var virtualService: String?
  /// The DestinationRule that shaped the cluster, as `name.namespace`.
  var destinationRule: String?
  /// The route's decorator, which names the trace span: `grpc.grpc.svc.cluster.local:9000/*`.
  var operation: String
  /// The SNI the sidecar sends with Istio mutual TLS: `outbound_.9000_._.grpc.grpc.svc.cluster.local`.
  var serverName: String {
    "outbound_.\(port)_.\(subset ?? "")_.\(host)"
  }
  var policy: UpstreamPolicy
  /// Endpoint selector of the subset.
  var subsetLabels: [String: String]
  /// The Service port carries opaque TCP (`tcp-*`, `tls`, `https` …): the sidecar proxies the app's
  /// connection to one endpoint instead of balancing requests.
  var isTCP = false
  /// The sidecar speaks HTTP/1.1 to the endpoints (a port Istio names `http`): each upstream connection
  /// carries one request at a time.
  var http1Upstream = false
  /// For `PassthroughCluster`: the address the app dialled, which the sidecar dials in turn.
  var originalDestination: SocketAddress?
  /// The keys of the route's names, once a sidecar's route cache holds it.
  var keys: RouteKeys? = nil
  /// The number of the route's cluster in the proxy whose route cache holds it.
  var proxyCluster: Int? = nil

  /// The route to a destination the proxy does not know: a TCP proxy to the original destination.
  static func passthrough(to destination: SocketAddress) -> OutboundRoute {
    OutboundRoute(
      service: PodRef(namespace: "", name: ""), host: destination.ip, port: destination.port, subset: nil,
      clusterName: "PassthroughCluster", virtualService: nil, destinationRule: nil, operation: "-",
      policy: UpstreamPolicy(nil), subsetLabels: [:], isTCP: true, originalDestination: destination)
  }
}

extension Service.Port {
  /// Whether Istio treats the port as HTTP (HTTP/1.1, HTTP/2, gRPC), from `appProtocol` or the name's
  /// prefix; ports it cannot name are sniffed, and a gRPC client's HTTP/2 preface makes them HTTP.
  var carriesHTTP: Bool {
    !["tcp", "tls", "https", "mongo", "mysql", "redis", "udp"].contains(declaredProtocol)
  }

  /// Whether Istio speaks HTTP/1.1 to the port's endpoints: it declares `http`, not `http2` or `grpc`.
  var speaksHTTP1: Bool { declaredProtocol == "http" }

  /// The protocol `appProtocol` or the name's prefix declares, in lower case; empty when neither does.
  private var declaredProtocol: String {
    (appProtocol ?? name?.split(separator: "-").first.map(String.init) ?? "").lowercased()
  }
}

/// One weighted destination of a route.
struct RouteChoice: Equatable, Sendable {
  var weight: Int
  var route: Result<Shared<OutboundRoute>, LocalReply>
}

/// A reply an Envoy proxy makes itself instead of forwarding, and how its access log flags it.
struct LocalReply: Error, Equatable, Sendable {
  var grpcStatus: GRPCStatusCode
  var message: String
  /// `UO`, `NR`, `UH`, `UF` …
  var responseFlags: String
  var details: String
}

/// The routes istiod gives a sidecar: virtual hosts, VirtualService matches and weights, and the Envoy
/// cluster of each destination with its DestinationRule's subset and policy.
extension Istiod {
  /// The destinations a request may take, with their weights: what the sidecar's route configuration holds.
  ///
  /// The virtual host is chosen by `authority` among the services the proxy knows (those of mesh members
  /// and the control plane); a VirtualService bound to the mesh for that host replaces the default route;
  /// the DestinationRule for each destination host gives its cluster subsets and a policy. A destination
  /// the proxy does not know goes to `PassthroughCluster`: the connection to `destination` as the app dialled it.
  func routeChoices(from client: Pod, authority: String, destination original: SocketAddress, path: String)
    -> Result<[RouteChoice], LocalReply>
  {
    let clientNamespace = client.metadata.namespace ?? ""
    let port = original.port
    let hostname = authority.split(separator: ":").first.map(String.init) ?? authority
    guard let service = meshService(forHost: hostname, from: clientNamespace) else {
      return .success([RouteChoice(weight: 100, route: .success(Shared(OutboundRoute.passthrough(to: original))))])
    }
    let fqdn = Self.fqdn(service)
    let http = service.spec.ports?.first(where: { $0.port == port })?.carriesHTTP ?? true
    let virtualService = http ? virtualServices(for: fqdn).first : nil
    guard let virtualService else {
      let destination = Destination(host: fqdn, port: .init(number: port))
      return .success([RouteChoice(
        weight: 100,
        route: outboundRoute(to: destination, from: clientNamespace, virtualService: nil, operation: "\(fqdn):\(port)/*"))])
    }
    let namespace = virtualService.metadata.namespace ?? ""
    guard let rule = Self.firstMatch(in: virtualService, port: port, path: path), let destinations = rule.route,
      !destinations.isEmpty
    else { return .failure(Self.routeNotFound) }
    let operation = destinations.count > 1 ? "\(virtualService.metadata.name):\(port)/*" : "\(fqdn):\(port)/*"
    return .success(destinations.map { weighted in
      var destination = weighted.destination
      destination.host = Self.qualify(destination.host, namespace: namespace)
      if destination.port == nil, let target = meshService(forHost: destination.host, from: clientNamespace),
        target.spec.ports?.contains(where: { $0.port == port }) == true
      {
        destination.port = .init(number: port)
      }
      return RouteChoice(
        weight: weighted.effectiveWeight(among: destinations.count),
        route: outboundRoute(
          to: destination, from: clientNamespace, virtualService: "\(virtualService.metadata.name).\(namespace)",
          operation: operation))
    })
  }

  /// Envoy's reply when a virtual host has no route for the request: 404, which gRPC reads as UNIMPLEMENTED.
  static let routeNotFound = LocalReply(grpcStatus: .unimplemented, message: "", responseFlags: "NR", details: "route_not_found")

  /// The Envoy cluster behind one destination, with the DestinationRule's subset and policy applied.
  func outboundRoute(to destination: Destination, from clientNamespace: String, virtualService: String?, operation: String)
    -> Result<Shared<OutboundRoute>, LocalReply>
  {
    guard let target = meshService(forHost: destination.host, from: clientNamespace) else {
      return .failure(LocalReply(grpcStatus: .unavailable, message: "", responseFlags: "NC", details: "cluster_not_found"))
    }
    let targetHost = Self.fqdn(target)
    let targetPort = destination.port?.number ?? target.spec.ports?.first?.port ?? 0
    let rule = destinationRule(for: targetHost, from: clientNamespace)
    var definition: DestinationRule.Subset?
    if let subset = destination.subset {
      definition = rule?.spec.subsets?.first { $0.name == subset }
      guard definition != nil else {
        return .failure(LocalReply(grpcStatus: .unavailable, message: "", responseFlags: "NC", details: "cluster_not_found"))
      }
    }
    let policy = Self.clusterPolicy(rule, subset: definition, port: targetPort)
    let subsetLabels = definition?.labels ?? [:]
    return .success(Shared(OutboundRoute(
      service: PodRef(namespace: target.metadata.namespace ?? "", name: target.metadata.name), host: targetHost, port: targetPort, subset: destination.subset,
      clusterName: "outbound|\(targetPort)|\(destination.subset ?? "")|\(targetHost)",
      virtualService: virtualService,
      destinationRule: rule.map { "\($0.metadata.name).\($0.metadata.namespace ?? "")" },
      operation: operation, policy: UpstreamPolicy(policy), subsetLabels: subsetLabels,
      isTCP: target.spec.ports?.first(where: { $0.port == targetPort })?.carriesHTTP == false,
      http1Upstream: target.spec.ports?.first(where: { $0.port == targetPort })?.speaksHTTP1 == true)))
  }

  /// The mesh-bound VirtualServices whose hosts cover `host`, oldest first (the first one wins).
  func virtualServices(for host: String) -> [VirtualService] {
    virtualServices(boundTo: "mesh") { Self.hostMatches(pattern: $0, host: host) }
  }

  /// The VirtualServices the proxies see that are bound to `gateway` (`mesh`, the sidecars, when they name
  /// no gateway) and have a host, qualified in their namespace, that `accepts`; oldest first.
  func virtualServices(boundTo gateway: String, where accepts: (String) -> Bool) -> [VirtualService] {
    store.list(.virtualService).compactMap { object -> VirtualService? in
      guard case .virtualService(let service) = object else { return nil }
      let namespace = service.metadata.namespace ?? ""
      let gateways = service.spec.gateways ?? []
      guard isVisibleToProxies(namespace),
        (gateways.isEmpty ? ["mesh"] : gateways).contains(where: { Self.qualifiedGateway($0, namespace: namespace) == gateway })
      else { return nil }
      return (service.spec.hosts ?? []).contains { accepts(Self.qualify($0, namespace: namespace)) } ? service : nil
    }.sorted { ($0.metadata.createdAt, $0.metadata.name) < ($1.metadata.createdAt, $1.metadata.name) }
  }

  /// The first HTTP route of `service` that matches the request, on the sidecars (`mesh`) or on a gateway
  /// (`namespace/name`).
  static func firstMatch(in service: VirtualService, port: Int, path: String, gateway: String = "mesh") -> VirtualService.HTTPRoute? {
    let namespace = service.metadata.namespace ?? ""
    return (service.spec.http ?? []).first { route in
      let matches = route.match ?? []
      return matches.isEmpty || matches.contains { match in
        (match.uri?.matches(path) ?? true) && (match.port.map { $0 == port } ?? true)
          && (match.gateways.map { $0.isEmpty || $0.contains { qualifiedGateway($0, namespace: namespace) == gateway } } ?? true)
      }
    }
  }

  /// A VirtualService's gateway reference as `namespace/name`; `mesh` stays `mesh`.
  static func qualifiedGateway(_ reference: String, namespace: String) -> String {
    reference == "mesh" || reference.contains("/") ? reference : "\(namespace)/\(reference)"
  }

  /// The DestinationRule for `host`: the client's namespace first, then the host's, then the root namespace.
  func destinationRule(for host: String, from clientNamespace: String) -> DestinationRule? {
    let hostNamespace = host.split(separator: ".").dropFirst().first.map(String.init) ?? ""
    for namespace in [clientNamespace, hostNamespace, Cluster.controlPlaneNamespace] where isVisibleToProxies(namespace) {
      let rules = store.list(.destinationRule, namespace: namespace).compactMap { object -> DestinationRule? in
        guard case .destinationRule(let rule) = object, let pattern = rule.spec.host else { return nil }
        let visible = namespace == clientNamespace || (rule.spec.exportTo ?? ["*"]).contains("*")
        return visible && Self.hostMatches(pattern: Self.qualify(pattern, namespace: namespace), host: host) ? rule : nil
      }
      if let rule = rules.min(by: { $0.metadata.createdAt < $1.metadata.createdAt }) {
        return rule
      }
    }
    return nil
  }

  /// The policy of the Envoy cluster for `port` of `rule`'s host, or of its `subset`: the rule's policy at
  /// the port, with the subset's merged over it and the port's settings applied again.
  static func clusterPolicy(_ rule: DestinationRule?, subset: DestinationRule.Subset?, port: Int) -> TrafficPolicy? {
    let policy = portLevel(rule?.spec.trafficPolicy, port: port)
    guard let subset else { return policy }
    return portLevel(merge(policy, subset.trafficPolicy), port: port)
  }

  /// The policy with its settings for `port` applied, as Istio's `MergeTrafficPolicy` does: a port's
  /// settings replace the balancer, pool and TLS outright (unset ones fall back to defaults, not inherit).
  private static func portLevel(_ policy: TrafficPolicy?, port: Int) -> TrafficPolicy? {
    guard var policy, let level = policy.portLevelSettings?.first(where: { $0.port?.number == port }) else { return policy }
    policy.loadBalancer = level.loadBalancer
    policy.connectionPool = level.connectionPool
    policy.tls = level.tls
    policy.portLevelSettings = nil
    return policy
  }

  /// `override`'s fields replace `base`'s, as a subset's or port's policy overrides the rule's.
  private static func merge(_ base: TrafficPolicy?, _ override: TrafficPolicy?) -> TrafficPolicy? {
    guard let override else { return base }
    var merged = base ?? TrafficPolicy()
    merged.loadBalancer = override.loadBalancer ?? merged.loadBalancer
    merged.connectionPool = override.connectionPool ?? merged.connectionPool
    merged.tls = override.tls ?? merged.tls
    merged.outlierDetection = override.outlierDetection ?? merged.outlierDetection
    merged.portLevelSettings = override.portLevelSettings
    return merged
  }
}
