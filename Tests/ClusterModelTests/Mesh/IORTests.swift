import Testing

@testable import ClusterModel

@Suite struct IORTests {
  static func gateway(_ namespace: String, annotations: [String: String]? = nil) -> Gateway {
    var server = Gateway.Server(
      port: .init(number: 443, name: "HTTPS", protocol: "https", targetPort: nil),
      hosts: ["grpc-istio-system.apps.cluster.example.com"], tls: nil, name: nil)
    server.tls = .init(
      httpsRedirect: nil, mode: "MUTUAL", credentialName: "istio-ingressgateway-certs", serverCertificate: nil, privateKey: nil,
      caCertificates: nil, subjectAltNames: nil, minProtocolVersion: nil, maxProtocolVersion: nil)
    return Gateway(
      metadata: ObjectMeta(name: "grpc-gateway", namespace: namespace, annotations: annotations),
      spec: .init(selector: ["istio": "ingressgateway"], servers: [server]))
  }

  func routes(_ cluster: Cluster) -> [Route] {
    cluster.store.list(.route, namespace: "istio-system").compactMap { if case .route(let r) = $0 { r } else { nil } }
  }

  @Test func aMemberGatewayGetsAPassthroughRouteNamedByItsHostsHash() throws {
    var cluster = try meshCluster(seed: 1)
    try cluster.create(.gateway(Self.gateway("grpc")))
    let route = try #require(routes(cluster).first)
    #expect(routes(cluster).count == 1)
    #expect(route.metadata.name == "grpc-grpc-gateway-c35456c64f2d8ff9")
    #expect(route.metadata.labels?["maistra.io/generated-by"] == "ior")
    #expect(route.metadata.labels?["maistra.io/gateway-name"] == "grpc-gateway")
    #expect(route.metadata.annotation("maistra.io/original-host") == "grpc-istio-system.apps.cluster.example.com")
    #expect(route.spec.tls?.termination == "passthrough" && route.spec.port?.targetPort == .string("https"))
    #expect(route.spec.to.name == "istio-ingressgateway")
    try cluster.delete(ObjectKey(kind: .gateway, namespace: "grpc", name: "grpc-gateway"))
    #expect(routes(cluster).isEmpty)
  }

  @Test func noRouteOutsideTheMeshOrWhenTheGatewayOptsOut() throws {
    var cluster = try meshCluster(seed: 1, members: ["test"])
    try cluster.create(.gateway(Self.gateway("grpc")))
    #expect(routes(cluster).isEmpty)
    try cluster.create(.gateway(Self.gateway("test", annotations: ["maistra.io/manageRoute": "false"])))
    #expect(routes(cluster).isEmpty)
  }
}
