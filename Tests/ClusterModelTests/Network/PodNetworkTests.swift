import Testing

@testable import ClusterModel

/// The pod network on its own: DNS, kube-proxy's translation and who listens where, read from the
/// stored objects and the pods' runtimes, with kube-proxy's picks drawn from the stream it is given.
@Suite struct PodNetworkTests {
  /// Dotted-decimal IPv4 as Go's `net.ParseIP` reads it: four numbers to 255, in ASCII digits, without
  /// leading zeros.
  @Test(arguments: [
    ("0.0.0.0", true), ("10.128.2.13", true), ("255.255.255.255", true), ("", false), ("1.2.3", false),
    ("1.2.3.4.5", false), ("256.1.1.1", false), ("01.2.3.4", false), ("1..3.4", false), ("1.2.3.4.", false),
    ("+1.2.3.4", false), ("1.2.3.\u{664}", false), ("1.2.3.4\u{301}", false), ("a.b.c.d", false), ("1.2.3. 4", false),
    ("0001.2.3.4", false), ("1.2.3.1000", false),
  ])
  func ipv4AddressesAreReadAsGoReadsThem(text: String, isIPv4: Bool) {
    #expect(SocketAddress.isIPv4(text) == isIPv4)
  }

  @Test func namesResolveAlongThePodsSearchPath() throws {
    let cluster = try labCluster(seed: 4)
    let network = cluster.network
    let ip = try #require(cluster.store.service("grpc", in: "grpc")?.spec.clusterIP)
    #expect(network.resolve("grpc", from: "grpc") == [ip])
    #expect(network.resolve("grpc.grpc", from: "test") == [ip])
    #expect(network.resolve("grpc.grpc.svc.cluster.local.", from: "test") == [ip])
    #expect(network.resolve("grpc.grpc.svc.cluster.local", from: "test") == [ip])
    #expect(network.resolve("grpc.grpc.svc", from: "test") == [ip])
    #expect(network.resolve("grpc.grpc.svc.cluster.local..", from: "test") == [])
    #expect(network.resolve("grpc.nope.svc.cluster.local", from: "test") == [])
    #expect(network.resolve("grpc", from: "test") == [], "the search path starts in the pod's own namespace")
    #expect(network.resolve("localhost", from: "test") == ["127.0.0.1"])
    #expect(network.resolve("10.128.2.7", from: "test") == ["10.128.2.7"])
    #expect(cluster.resolve("grpc.grpc", from: "test") == network.resolve("grpc.grpc", from: "test"))
  }

  @Test func aServiceAddressIsTranslatedToAListeningEndpoint() throws {
    let cluster = try labCluster(seed: 4)
    let network = cluster.network
    let ip = try #require(cluster.store.service("grpc", in: "grpc")?.spec.clusterIP)
    var rng = SplitMix64(seed: 8)
    guard case .connected(let pod, let address, let decision?) = network.dial(SocketAddress(ip: ip, port: 9000), rng: &rng) else {
      Issue.record("a ready Service refused the connection")
      return
    }
    #expect(network.listens(pod, on: address.port))
    #expect(decision.endpoints[decision.chosen].name == pod.metadata.name)
    #expect(network.dial(SocketAddress(ip: ip, port: 9001), rng: &rng) == .refused, "no such Service port")
    #expect(network.dial(SocketAddress(ip: pod.status?.podIP ?? "", port: 8080), rng: &rng) != .refused)
    #expect(network.dial(SocketAddress(ip: pod.status?.podIP ?? "", port: 7000), rng: &rng) == .refused, "nothing listens")
  }

  @Test func theSameStreamGivesTheSamePicksAndTheClusterDrawsFromKubeProxysOwn() throws {
    var cluster = try labCluster(seed: 4)
    let ip = try #require(cluster.store.service("grpc", in: "grpc")?.spec.clusterIP)
    let destination = SocketAddress(ip: ip, port: 9000)
    var rng = cluster.random.kubeProxy
    let expected = (0..<12).map { _ in cluster.network.dial(destination, rng: &rng) }
    let network = cluster.random.network
    #expect((0..<12).map { _ in cluster.dial(destination) } == expected)
    #expect(cluster.random.network == network, "dialling draws nothing from the network's other stream")
  }
}
