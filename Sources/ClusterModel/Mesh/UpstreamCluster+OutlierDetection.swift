/// Envoy's outlier detection, as Istio's `outlierDetection` configures it: a host whose replies are 5xx
/// `consecutive5xxErrors` times in a row leaves the cluster's balancing for `baseEjectionTime` times its
/// ejection multiplier (at most `max_ejection_time`, 5 minutes), unless `maxEjectionPercent` of the hosts
/// are out already; the detector's timer lets it back at the first tick of `interval` after that, and
/// lowers its multiplier by one for each tick it stays in. Istio turns the panic threshold off, so a
/// cluster whose every host is ejected answers `no healthy upstream`.
extension UpstreamCluster {
  /// Feeds the HTTP status of one reply from `host` (a gRPC status as Envoy maps it), at `now`, to the
  /// cluster's detector.
  mutating func recordOutcome(_ status: Int, host: Int, at now: SimTime) {
    guard let outlier = policy?.outlier, outlier.consecutive5xx > 0, outliers.indices.contains(host) else { return }
    let epoch = outlierEpoch ?? now
    outliers[host].catchUp(at: now, epoch: epoch, interval: outlier.interval)
    // An ejected host's replies (those in flight when it left) do not count.
    guard !outliers[host].isEjected(at: now) else { return }
    guard status >= 500 else {
      outliers[host].consecutive5xx = 0
      return
    }
    outliers[host].consecutive5xx += 1
    guard outliers[host].consecutive5xx == outlier.consecutive5xx else { return }
    outliers[host].consecutive5xx = 0
    stats.ejectionsDetected5xx += 1
    let hosts = self.hosts ?? [host]
    let ejected = hosts.count - balanced(hosts, at: now).count
    guard Double(ejected) * 100 < Double(outlier.maxEjectionPercent) * Double(max(hosts.count, 1)) else {
      stats.ejectionsOverflow += 1
      return
    }
    outliers[host].eject(at: now, epoch: epoch, policy: outlier)
    stats.ejectionsEnforced5xx += 1
  }

  /// The hosts among `hosts` that the detector leaves in balancing at `now`.
  func balanced(_ hosts: [Int], at now: SimTime) -> [Int] {
    hosts.filter { !ejects($0, at: now) }
  }
}

extension Cluster {
  /// Whether outlier detection keeps the pod's sidecar from sending to `address` in the Envoy cluster `name`.
  func isEjected(_ address: String, in name: String, by pod: Pod) -> Bool {
    guard let proxy = runtimes[pod.metadata.uid ?? ""]?.proxy,
      let cluster = proxy.clusters.first(where: { $0.name == name }), cluster.policy?.outlier != nil
    else { return false }
    return proxy.hosts.indices.contains { proxy.hosts[$0].address.description == address && cluster.ejects($0, at: now) }
  }
}

extension HostOutlier {
  /// Ejects the host: its multiplier goes up, and it comes back at the detector's first tick (counted from
  /// `epoch`) once `baseEjectionTime` times the multiplier, at most `max_ejection_time`, has passed.
  mutating func eject(at now: SimTime, epoch: SimTime, policy: UpstreamPolicy.OutlierPolicy) {
    let base = policy.baseEjectionTime.nanoseconds
    let most = max(policy.baseEjectionTime, UpstreamPolicy.OutlierPolicy.maximumEjectionTime).nanoseconds
    if base.multipliedReportingOverflow(by: Int64(ejections)).partialValue < most { ejections += 1 }
    let product = base.multipliedReportingOverflow(by: Int64(ejections))
    let lasting = product.overflow ? most : min(product.partialValue, most)
    let interval = policy.interval.nanoseconds
    let ticks = ((now - epoch).nanoseconds + lasting + interval - 1) / interval
    ejectedUntil = epoch + SimDuration(nanoseconds: ticks * interval)
  }

  /// Brings the host up to `now`: back in balancing when its time is over, its 5xx count cleared, and its
  /// multiplier lowered by one for each tick of the detector it has been in since.
  mutating func catchUp(at now: SimTime, epoch: SimTime, interval: SimDuration) {
    let since = ejectedUntil ?? healthySince ?? epoch
    if let until = ejectedUntil, now >= until {
      ejectedUntil = nil
      consecutive5xx = 0
    }
    guard ejectedUntil == nil else { return }
    let ticks = (now - since).nanoseconds / interval.nanoseconds
    ejections = max(ejections - Int(min(ticks, Int64(ejections))), 0)
    healthySince = since + SimDuration(nanoseconds: ticks * interval.nanoseconds)
  }
}
