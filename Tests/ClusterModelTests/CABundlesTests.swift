import Testing

@testable import ClusterModel

/// The CA bundles a namespace holds, as their controllers publish them.
@Suite struct CABundlesTests {
  @Test func everyNamespaceHoldsTheClusterCAsAndMeshMembersTheMeshRoot() {
    let names = { (member: Bool) in CABundles.bundles(in: "grpc", meshMember: member).map(\.metadata.name) }
    #expect(names(false) == ["kube-root-ca.crt", "openshift-service-ca.crt"])
    #expect(names(true) == ["kube-root-ca.crt", "openshift-service-ca.crt", "istio-ca-root-cert"])
    #expect(CABundles.bundles(in: "grpc", meshMember: true).allSatisfy { $0.metadata.namespace == "grpc" })
  }
}
