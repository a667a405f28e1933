extension Cluster {
  /// The mutual-TLS mode a pod's sidecar accepts inbound: `STRICT`, `PERMISSIVE` or `DISABLE`.
  ///
  /// As Istio resolves PeerAuthentications: one selecting the workload, else the namespace's (no
  /// selector), else the mesh's (no selector, in the control plane's namespace); `UNSET` inherits, and
  /// the default is `PERMISSIVE`.
  func inboundMTLSMode(of pod: Pod) -> PeerAuthenticationMode {
    let namespace = pod.metadata.namespace ?? ""
    let policies = { (namespace: String) -> [PeerAuthentication] in
      self.store.list(.peerAuthentication, namespace: namespace).compactMap {
        if case .peerAuthentication(let policy) = $0 { policy } else { nil }
      }
    }
    let local = policies(namespace)
    let labels = pod.metadata.labels ?? [:]
    let workload = local.first { policy in
      guard let selector = policy.spec.selector?.matchLabels, !selector.isEmpty else { return false }
      return selector.allSatisfy { labels[$0.key] == $0.value }
    }
    let namespaceWide = local.first { $0.spec.selector?.matchLabels?.isEmpty ?? true }
    let meshWide = policies(Self.controlPlaneNamespace).first { $0.spec.selector?.matchLabels?.isEmpty ?? true }
    for policy in [workload, namespaceWide, meshWide] {
      if let mode = policy?.spec.mtls?.mode.flatMap(PeerAuthenticationMode.init(rawValue:)), mode != .unset { return mode }
    }
    return .permissive
  }
}
