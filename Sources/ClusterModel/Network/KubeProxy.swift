/// kube-proxy in iptables mode: a Service's virtual IP is translated once per connection, never per request.
enum KubeProxy {
  /// The endpoint a new connection to a Service goes to, among `count` ready ones: the Service's chain
  /// has one rule per endpoint, and rule *i* of *n* matches with probability 1/(n−i) (`-m statistic --mode
  /// random`), the last one always, which picks each endpoint with equal chance. Once chosen, conntrack
  /// pins every packet of the connection to that endpoint.
  ///
  /// - Returns: The endpoint's index; nil when there is none, and iptables rejects the connection.
  static func pick(among count: Int, rng: inout SplitMix64) -> Int? {
    guard count > 0 else { return nil }
    for index in 0..<(count - 1) where rng.unitInterval() < 1 / Double(count - index) { return index }
    return count - 1
  }
}
