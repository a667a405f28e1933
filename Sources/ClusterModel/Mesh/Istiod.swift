/// istiod's view of the mesh: which namespaces' Services and rules it sends to the proxies, and what
/// a host name means to a proxy. It reads the stored objects alone; the routes it computes from them are
/// in `Istiod+Routing.swift`.
struct Istiod {
  /// The stored objects: namespaces, Services, VirtualServices, DestinationRules, Gateways, Secrets.
  let store: ObjectStore

  /// Whether `namespace` belongs to the mesh: the member roll's controller labels its members.
  func isMeshMember(_ namespace: String) -> Bool {
    guard case .namespace(let object) = store[ObjectKey(kind: .namespace, namespace: "", name: namespace)] else { return false }
    return object.metadata.labels?["maistra.io/member-of"] == Cluster.controlPlaneNamespace
  }

  /// The Services sidecars know: those of mesh members and of the control plane.
  func visibleServices() -> [Service] {
    store.list(.service).compactMap { object -> Service? in
      guard case .service(let service) = object, isVisibleToProxies(service.metadata.namespace ?? "") else { return nil }
      return service
    }
  }

  /// The Service a host name means to a proxy in `namespace`: FQDN, `name.namespace`, a short name in the
  /// proxy's own namespace, or a ClusterIP; only Services the proxy knows (mesh members and the control plane).
  func meshService(forHost host: String, from namespace: String) -> Service? {
    if SocketAddress.isIPv4(host) {
      return visibleServices().first { $0.spec.clusterIP == host }
    }
    let parts = host.split(separator: ".").map(String.init)
    guard let name = parts.first else { return nil }
    let serviceNamespace: String
    switch parts.count {
    case 1: serviceNamespace = namespace
    case 2, 3: serviceNamespace = parts[1]
    default:
      guard parts.count == 5, parts[2] == "svc", parts[3] == "cluster", parts[4] == "local" else { return nil }
      serviceNamespace = parts[1]
    }
    if parts.count == 3 && parts[2] != "svc" { return nil }
    guard isVisibleToProxies(serviceNamespace) else { return nil }
    return store.service(name, in: serviceNamespace)
  }

  /// Whether istiod sends a namespace's Services and rules to the sidecars: a mesh member or the control plane.
  func isVisibleToProxies(_ namespace: String) -> Bool {
    namespace == Cluster.controlPlaneNamespace || isMeshMember(namespace)
  }

  /// `name.namespace.svc.cluster.local`.
  static func fqdn(_ service: Service) -> String {
    "\(service.metadata.name).\(service.metadata.namespace ?? "").svc.cluster.local"
  }

  /// A short host in an Istio resource, qualified with the resource's namespace as Istio does.
  static func qualify(_ host: String, namespace: String) -> String {
    host.contains(".") || host == "*" ? host : "\(host).\(namespace).svc.cluster.local"
  }

  /// Whether an Istio host pattern (exact, `*`, or `*.suffix`) covers `host`.
  static func hostMatches(pattern: String, host: String) -> Bool {
    if pattern == "*" { return true }
    if pattern.hasPrefix("*") { return host.hasSuffix(pattern.dropFirst()) }
    return pattern == host
  }

  /// Whether two Istio host patterns can name the same host (`*.foo.bar` and `*.bar`).
  static func hostsOverlap(_ a: String, _ b: String) -> Bool {
    hostMatches(pattern: a, host: b) || hostMatches(pattern: b, host: a)
  }
}

extension Cluster {
  /// istiod's view of the mesh as the store stands.
  var istiod: Istiod { Istiod(store: store) }

  /// Whether `namespace` belongs to the mesh (`Istiod.isMeshMember`).
  public func isMeshMember(_ namespace: String) -> Bool {
    istiod.isMeshMember(namespace)
  }

  /// The DestinationRule for `host` seen from `clientNamespace` (`Istiod.destinationRule`).
  public func destinationRule(for host: String, from clientNamespace: String) -> DestinationRule? {
    istiod.destinationRule(for: host, from: clientNamespace)
  }
}
