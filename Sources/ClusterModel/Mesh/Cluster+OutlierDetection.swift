/// Envoy's outlier detection, as Istio's `outlierDetection` configures it: a host whose replies are 5xx
/// `consecutive5xxErrors` times in a row leaves the cluster's balancing for `baseEjectionTime` times the
/// number of its ejections, unless `maxEjectionPercent` of the hosts are out already. Istio sets no panic
/// threshold, so a cluster whose every host is ejected answers `no healthy upstream`.
extension Cluster {
  /// Feeds the HTTP status of one reply from `host` (a gRPC status as Envoy maps it) to the detector of
  /// the proxy's `cluster`.
  mutating func recordOutcome(_ status: Int, host: Int, cluster: Int, proxy: inout EnvoyProxy) {
    guard let outlier = proxy.clusters[cluster].policy?.outlier, outlier.consecutive5xx > 0,
      proxy.clusters[cluster].outliers.indices.contains(host)
    else { return }
    guard status >= 500 else {
      proxy.clusters[cluster].outliers[host].consecutive5xx = 0
      return
    }
    proxy.clusters[cluster].outliers[host].consecutive5xx += 1
    guard proxy.clusters[cluster].outliers[host].consecutive5xx >= outlier.consecutive5xx,
      !proxy.clusters[cluster].outliers[host].isEjected(at: now)
    else { return }
    proxy.clusters[cluster].outliers[host].consecutive5xx = 0
    proxy.clusters[cluster].stats.ejectionsDetected5xx += 1
    let hosts = proxy.clusters[cluster].hosts ?? [host]
    let ejected = hosts.filter { proxy.clusters[cluster].outliers.indices.contains($0) && proxy.clusters[cluster].outliers[$0].isEjected(at: now) }
    guard Double(ejected.count) * 100 < Double(outlier.maxEjectionPercent) * Double(max(hosts.count, 1)) else {
      proxy.clusters[cluster].stats.ejectionsOverflow += 1
      return
    }
    proxy.clusters[cluster].outliers[host].ejections += 1
    let ejections = Int64(proxy.clusters[cluster].outliers[host].ejections)
    let lasting = min(
      outlier.baseEjectionTime.nanoseconds.multipliedReportingOverflow(by: ejections).overflow
        ? Int64.max : outlier.baseEjectionTime.nanoseconds * ejections,
      max(outlier.baseEjectionTime, UpstreamPolicy.OutlierPolicy.maximumEjectionTime).nanoseconds)
    // The detector's timer lets hosts back at its interval's ticks.
    let ticks = (lasting + outlier.interval.nanoseconds - 1) / outlier.interval.nanoseconds
    proxy.clusters[cluster].outliers[host].ejectedUntil = now + SimDuration(nanoseconds: ticks * outlier.interval.nanoseconds)
    proxy.clusters[cluster].stats.ejectionsEnforced5xx += 1
  }

  /// The hosts of `cluster`, whose policy has outlier detection, that it leaves in balancing now.
  func balancedHosts(_ hosts: [Int], cluster: Int, proxy: EnvoyProxy) -> [Int] {
    let outliers = proxy.clusters[cluster].outliers
    return hosts.filter { !(outliers.indices.contains($0) && outliers[$0].isEjected(at: now)) }
  }

  /// Whether outlier detection keeps the pod's sidecar from sending to `address` in the Envoy cluster `name`.
  public func isEjected(_ address: String, in name: String, by pod: Pod) -> Bool {
    guard let proxy = runtimes[pod.metadata.uid ?? ""]?.proxy,
      let cluster = proxy.clusters.first(where: { $0.name == name }), cluster.policy?.outlier != nil
    else { return false }
    return proxy.hosts.indices.contains { number in
      proxy.hosts[number].address.description == address && cluster.outliers.indices.contains(number)
        && cluster.outliers[number].isEjected(at: now)
    }
  }
}
