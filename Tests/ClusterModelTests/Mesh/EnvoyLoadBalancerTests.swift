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

  /// A consistent hash keeps a key on one host while the hosts stay, moves only the keys of a host that
  /// goes, and picks at random for a request that gives no key.
  @Test func aConsistentHashKeepsEachKeyOnItsHost() {
    var rng = SplitMix64(seed: 3)
    let address = { (host: Int) in "10.128.0.\(host):9000" }
    let keys = (0..<40).map { "10.131.0.\($0)" }
    let before = keys.map { EnvoyLoadBalancer.pick([1, 2, 3, 4], hashing: $0, addresses: address, rng: &rng) }
    #expect(keys.map { EnvoyLoadBalancer.pick([1, 2, 3, 4], hashing: $0, addresses: address, rng: &rng) } == before)
    #expect(Set(before) == [1, 2, 3, 4])
    let after = keys.map { EnvoyLoadBalancer.pick([1, 2, 4], hashing: $0, addresses: address, rng: &rng) }
    #expect(zip(before, after).allSatisfy { $0 == 3 || $0 == $1 }, "only host 3's keys move")
    #expect(Set((0..<40).map { _ in EnvoyLoadBalancer.pick([1, 2, 3, 4], hashing: nil, addresses: address, rng: &rng) }).count == 4)
  }

  /// What a request hashes on: its source address, a header it carries, or its query's parameter.
  @Test func aRequestHashesOnWhatThePolicyNames() {
    var channel = Channel(
      connection: 1, authority: "httpbin:8000", destination: SocketAddress(ip: "172.30.0.9", port: 8000),
      source: SocketAddress(ip: "10.131.0.7", port: 40_000), viaSidecar: true, envoyConnection: 1, worker: 0)
    channel.path = "/get?user=ann&x=1"
    let user = Checksum.fnv1a(Array("user".utf8))
    #expect(Cluster.hashKey(.sourceIP, of: channel) == "10.131.0.7")
    #expect(Cluster.hashKey(.header(UpstreamPolicy.RequestHeader("Host")), of: channel) == "httpbin:8000")
    #expect(Cluster.hashKey(.header(UpstreamPolicy.RequestHeader("x-user")), of: channel) == nil)
    #expect(Cluster.hashKey(.queryParameter(nameChecksum: user), of: channel) == "ann")
    #expect(Cluster.hashKey(.cookie, of: channel) == nil)
  }
}
