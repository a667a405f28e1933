import Testing

@testable import ClusterModel

/// Envoy's per-request pick: each policy as Envoy's load balancers choose, from the seeded generator.
@Suite struct EnvoyLoadBalancerTests {
  @Test func leastRequestKeepsTheLessBusyOfTwoRandomChoices() {
    var rng = SplitMix64(seed: 1)
    var picks: [Int: Int] = [:]
    for _ in 0..<1_000 {
      let (host, rotation) = EnvoyLoadBalancer.pick(
        [0, 1, 2], policy: .leastRequest, rotation: nil, activeRequests: { [5, 0, 5][$0] }, rng: &rng)
      picks[host, default: 0] += 1
      #expect(rotation == nil)
    }
    #expect((picks[1] ?? 0) > 500, "host 1 wins whenever it is one of the two choices: 5 of 9 pairs")
  }

  @Test func roundRobinRotatesFromARandomStart() {
    var rng = SplitMix64(seed: 2)
    var rotation: Int?
    let picks = (0..<6).map { _ in
      let (host, next) = EnvoyLoadBalancer.pick([10, 11, 12], policy: .roundRobin, rotation: rotation, activeRequests: { _ in 0 }, rng: &rng)
      rotation = next
      return host
    }
    #expect(picks[3...] == picks[..<3])
    #expect(Set(picks) == [10, 11, 12])
  }
}
