/// Where a new TCP connection to an address ends up.
enum DialResult: Equatable, Sendable {
  /// Accepted by `pod` at `address`; `decision` is set when kube-proxy translated a Service address.
  case connected(pod: Pod, address: SocketAddress, decision: KubeProxyDecision?)
  /// Nothing listens there, or a Service has no ready endpoint (iptables `REJECT`).
  case refused
}

/// The pod network as a process in a pod meets it: cluster DNS (`resolve`), kube-proxy's translation of
/// Service addresses (`dial`), and which processes listen where.
///
/// It reads the stored objects and the pods' runtimes, and draws kube-proxy's picks from the stream it
/// is given; it changes nothing else.
struct PodNetwork {
  /// The stored objects: Services, Endpoints and pods.
  let store: ObjectStore
  /// The pods' runtime states, by UID: which processes run, and so listen.
  let runtimes: PodRuntimes

  /// Opens a TCP connection to `destination`, as the node's kube-proxy routes it (`KubeProxy.pick`).
  func dial(_ destination: SocketAddress, rng: inout SplitMix64) -> DialResult {
    if let service = store.list(.service).lazy.compactMap({ object -> Service? in
      if case .service(let s) = object, s.spec.clusterIP == destination.ip { s } else { nil }
    }).first {
      return dial(service, port: destination.port, rng: &rng)
    }
    guard let pod = store.pods(where: { $0.status?.podIP == destination.ip }).first, listens(pod, on: destination.port)
    else { return .refused }
    return .connected(pod: pod, address: destination, decision: nil)
  }

  private func dial(_ service: Service, port: Int, rng: inout SplitMix64) -> DialResult {
    let namespace = service.metadata.namespace ?? ""
    guard let servicePort = service.spec.ports?.first(where: { $0.port == port }) else { return .refused }
    let backends = store.backends(of: service, port: servicePort)
    guard let chosen = KubeProxy.pick(among: backends.count, rng: &rng) else { return .refused }
    let backend = backends[chosen]
    guard listens(backend.pod, on: backend.address.port) else { return .refused }
    let decision = KubeProxyDecision(
      service: "\(namespace)/\(service.metadata.name)",
      endpoints: backends.map { PodRef(namespace: namespace, name: $0.pod.metadata.name) }, chosen: chosen)
    return .connected(pod: backend.pod, address: backend.address, decision: decision)
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
}

extension Cluster {
  /// The pod network as it stands: what DNS answers and where connections go.
  var network: PodNetwork { PodNetwork(store: store, runtimes: runtimes) }

  /// Opens a TCP connection to `destination` (`PodNetwork.dial`), with kube-proxy's pick drawn from its
  /// own stream.
  mutating func dial(_ destination: SocketAddress) -> DialResult {
    network.dial(destination, rng: &random.kubeProxy)
  }

  /// Resolves `name` as a pod in `namespace` would (`PodNetwork.resolve`).
  ///
  /// - Returns: The addresses: a Service's virtual IP, or the ready pod IPs of a headless Service; empty when
  ///   the name does not exist (NXDOMAIN).
  public func resolve(_ name: String, from namespace: String) -> [String] {
    network.resolve(name, from: namespace)
  }

  /// A random ephemeral source port (Linux default range 32768–60999).
  mutating func ephemeralPort() -> Int {
    random.network.integer(in: 32768...60999)
  }
}
