extension Cluster {
  /// What `pilot-agent request GET stats` prints for the sidecar of `pod`, or nil when it has none.
  ///
  /// Istio keeps Envoy's per-cluster `cluster.outbound|…` counters only when the pod asks for them with
  /// `proxy.istio.io/config: proxyStatsMatcher: inclusionPrefixes: [cluster.outbound]` (or the older
  /// `sidecar.istio.io/statsInclusionPrefixes`); the server's own counters are always there.
  public func proxyStats(of pod: PodRef) -> String? {
    guard let object = store.pod(pod), object.hasSidecar, let runtime = runtimes[object.metadata.uid ?? ""],
      case .running(let since) = runtime.phase
    else { return nil }
    let annotations = object.metadata.annotations ?? [:]
    let included = [annotations["proxy.istio.io/config"], annotations["sidecar.istio.io/statsInclusionPrefixes"]]
      .compactMap { $0 }.contains { $0.contains("cluster.outbound") }
    var lines = [
      "server.concurrency: 2", "server.live: 1", "server.state: 0", "server.uptime: \((now - since).seconds)",
    ]
    if included, let stats = runtime.proxy?.stats {
      lines += stats.sorted { $0.key < $1.key }.flatMap { $0.value.lines(cluster: $0.key) }
    }
    return lines.sorted().map { $0 + "\n" }.joined()
  }
}
