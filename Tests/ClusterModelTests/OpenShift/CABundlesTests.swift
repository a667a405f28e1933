import Testing

@testable import ClusterModel

/// The CA bundles a namespace holds, as their controllers publish them.
@Suite struct CABundlesTests {
  @Test func everyNamespaceHoldsTheClusterCAsAndMeshMembersTheMeshRoot() {
    let cluster = [
      ConfigMap(metadata: ObjectMeta(name: "kube-root-ca.crt", namespace: "grpc"), data: ["ca.crt": CABundles.apiServerCA]),
      ConfigMap(
        metadata: ObjectMeta(
          name: "openshift-service-ca.crt", namespace: "grpc", annotations: ["service.beta.openshift.io/inject-cabundle": "true"]),
        data: ["service-ca.crt": CABundles.serviceCA]),
    ]
    let mesh = ConfigMap(
      metadata: ObjectMeta(name: "istio-ca-root-cert", namespace: "grpc", labels: ["istio.io/config": "true"]),
      data: ["root-cert.pem": CABundles.meshRootCA])
    #expect(CABundles.bundles(in: "grpc", meshMember: false) == cluster)
    #expect(CABundles.bundles(in: "grpc", meshMember: true) == cluster + [mesh])
    for meshMember in [false, true] {
      #expect(CABundles.bundles(in: "grpc", meshMember: meshMember).map(\.metadata.name) == CABundles.names(meshMember: meshMember))
    }
  }
}
