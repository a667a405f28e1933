/// Where a new TCP connection to an address ends up.
enum DialResult: Equatable, Sendable {
  /// Accepted by `pod` at `address`; `decision` is set when kube-proxy translated a Service address.
  case connected(pod: Pod, address: SocketAddress, decision: KubeProxyDecision?)
  /// Nothing listens there, or a Service has no ready endpoint (iptables `REJECT`).
  case refused
}

extension Cluster {
  /// Opens a TCP connection to `destination`, as the node's kube-proxy routes it (`KubeProxy.pick`).
  mutating func dial(_ destination: SocketAddress) -> DialResult {
    if let service = store.list(.service).lazy.compactMap({ object -> Service? in
      if case .service(let s) = object, s.spec.clusterIP == destination.ip { s } else { nil }
    }).first {
      return dialService(service, port: destination.port)
    }
    guard let pod = store.pods(where: { $0.status?.podIP == destination.ip }).first, listens(pod, on: destination.port)
    else { return .refused }
    return .connected(pod: pod, address: destination, decision: nil)
  }

  private mutating func dialService(_ service: Service, port: Int) -> DialResult {
    let namespace = service.metadata.namespace ?? ""
    guard let servicePort = service.spec.ports?.first(where: { $0.port == port }) else { return .refused }
    let backends = self.backends(of: service, port: servicePort)
    guard let chosen = KubeProxy.pick(among: backends.count, rng: &random.kubeProxy) else { return .refused }
    let backend = backends[chosen]
    guard listens(backend.pod, on: backend.address.port) else { return .refused }
    let decision = KubeProxyDecision(
      service: "\(namespace)/\(service.metadata.name)",
      endpoints: backends.map { PodRef(namespace: namespace, name: $0.pod.metadata.name) }, chosen: chosen)
    return .connected(pod: backend.pod, address: backend.address, decision: decision)
  }

  /// The ready endpoints behind one port of `service`, in the Endpoints object's order: each pod with the
  /// address its endpoint port (named as the Service port, else the first) is served at.
  func backends(of service: Service, port servicePort: Service.Port) -> [(pod: Pod, address: SocketAddress)] {
    guard let endpoints = store.endpoints(service.metadata.name, in: service.metadata.namespace ?? "") else { return [] }
    var backends: [(pod: Pod, address: SocketAddress)] = []
    for subset in endpoints.subsets ?? [] {
      guard let target = subset.ports?.first(where: { $0.name == servicePort.name }) ?? subset.ports?.first else { continue }
      for address in subset.addresses ?? [] {
        guard let ref = address.targetRef, let pod = store.pod(PodRef(namespace: ref.namespace, name: ref.name)) else { continue }
        backends.append((pod, SocketAddress(ip: address.ip, port: target.port)))
      }
    }
    return backends
  }

  /// Whether a process in `pod` accepts connections on `port`.
  func listens(_ pod: Pod, on port: Int) -> Bool {
    guard let uid = pod.metadata.uid, case .running = runtimes[uid]?.phase else { return false }
    return pod.spec.containers.contains { container in
      switch container.image.flatMap(ContainerImage.lookup)?.behaviour {
      case .quarkusGreeter: port == GreeterApp.httpPort || port == GreeterApp.grpcPort
      case .httpbin: port == HTTPBinApp.port(of: container)
      default: false
      }
    }
  }

  /// A random ephemeral source port (Linux default range 32768–60999).
  mutating func ephemeralPort() -> Int {
    random.network.integer(in: 32768...60999)
  }
}
