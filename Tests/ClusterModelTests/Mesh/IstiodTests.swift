import Testing

@testable import ClusterModel

/// istiod's view of the mesh, from the stored objects alone: which namespaces the proxies see, what a host
/// name means to a proxy, and which DestinationRule shapes a host.
@Suite struct IstiodTests {
  @Test func aProxySeesTheServicesOfMembersAndTheControlPlaneOnly() throws {
    let cluster = try meshCluster(seed: 2, members: ["grpc"])
    let istiod = cluster.istiod
    #expect(istiod.isMeshMember("grpc") && !istiod.isMeshMember("test") && !istiod.isMeshMember("istio-system"))
    #expect(istiod.isVisibleToProxies("istio-system") && !istiod.isVisibleToProxies("test"))
    let ip = try #require(cluster.store.service("grpc", in: "grpc")?.spec.clusterIP)
    for host in ["grpc", "grpc.grpc", "grpc.grpc.svc", "grpc.grpc.svc.cluster.local", ip] {
      #expect(istiod.meshService(forHost: host, from: "grpc")?.metadata.name == "grpc", "\(host)")
    }
    #expect(istiod.meshService(forHost: "grpc", from: "test") == nil, "a short name means the proxy's own namespace")
    #expect(istiod.meshService(forHost: "grpc.grpc.example", from: "test") == nil)
    #expect(istiod.visibleServices().allSatisfy { ["grpc", "istio-system"].contains($0.metadata.namespace ?? "") })
  }

  @Test func theClientsNamespaceComesFirstThenTheHostsThenTheRoot() throws {
    var cluster = try meshCluster(seed: 2)
    func rule(_ name: String, in namespace: String, host: String, exportTo: [String]? = nil) throws {
      var spec = DestinationRule.Spec(host: host)
      spec.exportTo = exportTo
      try cluster.create(.destinationRule(DestinationRule(metadata: ObjectMeta(name: name, namespace: namespace), spec: spec)))
      cluster.advance(by: .seconds(1))
    }
    let host = "grpc.grpc.svc.cluster.local"
    #expect(cluster.istiod.destinationRule(for: host, from: "test") == nil)
    try rule("root", in: "istio-system", host: host)
    #expect(cluster.istiod.destinationRule(for: host, from: "test")?.metadata.name == "root")
    try rule("private", in: "grpc", host: "grpc", exportTo: ["."])
    #expect(cluster.istiod.destinationRule(for: host, from: "test")?.metadata.name == "root", "another namespace's private rule is not seen")
    #expect(cluster.istiod.destinationRule(for: host, from: "grpc")?.metadata.name == "private", "its own namespace sees it")
    try rule("in-host", in: "grpc", host: "*.grpc.svc.cluster.local")
    #expect(cluster.istiod.destinationRule(for: host, from: "test")?.metadata.name == "in-host")
    #expect(cluster.istiod.destinationRule(for: host, from: "grpc")?.metadata.name == "private", "the oldest of a namespace wins")
    try rule("in-client", in: "test", host: host)
    #expect(cluster.destinationRule(for: host, from: "test")?.metadata.name == "in-client")
  }
}
