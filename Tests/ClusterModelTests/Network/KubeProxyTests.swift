import Testing

@testable import ClusterModel

/// kube-proxy's per-connection pick on its own.
@Suite struct KubeProxyTests {
  @Test func eachEndpointIsPickedWithEqualChance() {
    var rng = SplitMix64(seed: 11)
    var counts = [0, 0, 0]
    for _ in 0..<30_000 { counts[KubeProxy.pick(among: 3, rng: &rng) ?? 0] += 1 }
    #expect(counts.allSatisfy { (9_500...10_500).contains($0) }, "\(counts)")
    #expect(KubeProxy.pick(among: 1, rng: &rng) == 0)
    #expect(KubeProxy.pick(among: 0, rng: &rng) == nil, "no endpoint: the connection is rejected")
  }
}
