/// The endpoints controller's decision for one Service, from the stored pods: the addresses of the
/// pods its selector matches that have one and are not terminating, ready and not ready, and the ports
/// they serve the Service's ports on. `Cluster.syncEndpoints` stores it as the Service's Endpoints.
enum EndpointsController {
  /// The subsets of the Endpoints of `service`, whose `selector` is not empty; nil when no pod with an
  /// address matches, or no Service port resolves to a container port.
  static func subsets(of service: Service, selector: [String: String], in store: ObjectStore) -> [Endpoints.Subset]? {
    let namespace = service.metadata.namespace ?? ""
    let pods = store.pods(in: namespace) {
      $0.status?.podIP != nil && $0.metadata.deletionTimestamp == nil
        && LabelSelector(matchLabels: selector).matches($0.metadata.labelSet)
    }
    guard !pods.isEmpty else { return nil }
    let ports: [Endpoints.Port] = (service.spec.ports ?? []).compactMap { port in
      guard let target = resolveTargetPort(port, in: pods) else { return nil }
      return Endpoints.Port(name: port.name, port: target, protocol: port.protocol ?? "TCP")
    }
    guard !ports.isEmpty else { return nil }
    func address(_ pod: Pod) -> Endpoints.Address {
      Endpoints.Address(
        ip: pod.status?.podIP ?? "", nodeName: pod.spec.nodeName,
        targetRef: .init(kind: "Pod", namespace: namespace, name: pod.metadata.name, uid: pod.metadata.uid ?? ""))
    }
    let ready = pods.filter(\.isReady).map(address).sorted { $0.ip < $1.ip }
    let notReady = pods.filter { !$0.isReady }.map(address).sorted { $0.ip < $1.ip }
    return [Endpoints.Subset(addresses: ready.isEmpty ? nil : ready, notReadyAddresses: notReady.isEmpty ? nil : notReady, ports: ports)]
  }

  /// The container port a Service port forwards to: the number itself, or the named port of the pods.
  static func resolveTargetPort(_ port: Service.Port, in pods: [Pod]) -> Int? {
    switch port.targetPort ?? .int(port.port) {
    case .int(let number): return number
    case .string(let name):
      for pod in pods {
        for container in pod.spec.containers {
          if let match = container.ports?.first(where: { $0.name == name }) { return match.containerPort }
        }
      }
      return nil
    }
  }
}
