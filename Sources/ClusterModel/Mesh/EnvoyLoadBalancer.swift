/// Envoy's choice of upstream host for one request, made by the client's sidecar for every call.
///
/// This is the per-request pick that spreads the calls of one HTTP/2 connection over the pods; kube-proxy's
/// pick is per connection (`KubeProxy.pick`, in `Network/KubeProxy.swift`), so without a sidecar all
/// calls of the connection land on one pod. Before it, the route's weighted clusters are picked from per
/// request too (`pick(_:rng:)` over `RouteChoice`s).
enum EnvoyLoadBalancer {
  /// The host for the next request among `hosts` (numbers of the proxy's hosts), by `policy`:
  /// - LEAST_REQUEST: two random choices, keeping the one with fewer active requests (the first on a tie);
  /// - ROUND_ROBIN: the worker's rotation, which starts at a random host;
  /// - RANDOM: uniform (PASSTHROUGH's one original destination too: kube-proxy picks its pod per connection);
  /// - a consistent hash: `pick(_:hashing:addresses:rng:)`.
  ///
  /// - Parameters:
  ///   - rotation: The worker thread's round-robin position in this cluster, nil before its first pick.
  ///   - activeRequests: The requests a host (by number) has in flight.
  /// - Returns: The host, and the worker's round-robin position after the pick.
  @inline(__always)
  static func pick(
    _ hosts: [Int], policy: UpstreamPolicy.LoadBalancer, rotation: Int?, activeRequests: (Int) -> Int, rng: inout SplitMix64
  ) -> (host: Int, rotation: Int?) {
    let count = UInt64(hosts.count)
    switch policy {
    case .roundRobin:
      let position = rotation ?? Int(rng.next() % count)
      return (hosts[position % hosts.count], position + 1)
    case .random, .passthrough:
      return (hosts[Int(rng.next() % count)], rotation)
    case .leastRequest:
      let first = Int(rng.next() % count)
      let second = Int(rng.next() % count)
      return (activeRequests(hosts[second]) < activeRequests(hosts[first]) ? hosts[second] : hosts[first], rotation)
    }
  }

  /// The host a ring hash (or Maglev) load balancer picks for a request whose hash policy gave `key`: the
  /// same host for the same key while the hosts stay, and a new host only for the keys of a host that went.
  /// This is rendezvous hashing over the hosts' `addresses`, not Envoy's ring, so which host a key lands on
  /// differs from Envoy's as a seed does. A request that gives no key (a header it lacks) goes to a random
  /// host, as Envoy's ring hash picks one when the policy computes no hash.
  static func pick(_ hosts: [Int], hashing key: String?, addresses: (Int) -> String, rng: inout SplitMix64) -> Int {
    guard let key else { return pick(hosts, policy: .random, rotation: nil, activeRequests: { _ in 0 }, rng: &rng).host }
    let weighed = hosts.map { (host: $0, weight: Checksum.fnv1a(Array("\(key)|\(addresses($0))".utf8))) }
    return weighed.max { $0.weight < $1.weight }?.host ?? hosts[0]
  }

  /// A destination chosen by weight; without weights the first one takes all traffic, as Istio's
  /// translation gives a single destination 100.
  static func pick(_ choices: [RouteChoice], rng: inout SplitMix64) -> Result<Shared<OutboundRoute>, LocalReply> {
    guard !choices.isEmpty else { return .failure(Istiod.routeNotFound) }
    guard choices.count > 1 else { return choices[0].route }
    let total = choices.reduce(0) { $0 + $1.weight }
    guard total > 0 else { return choices[0].route }
    var ticket = Int(rng.next() % UInt64(total))
    for index in choices.indices {
      if ticket < choices[index].weight { return choices[index].route }
      ticket -= choices[index].weight
    }
    return choices[0].route
  }
}
