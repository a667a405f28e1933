import Testing

@testable import ClusterModel

/// The filter chain istiod gives the ingress gateway for a TLS server name: an exact host first, then the
/// longest wildcard, then the oldest Gateway; only Gateways of namespaces the proxies see.
@Suite struct GatewayFilterChainTests {
  static func gateway(_ name: String, in namespace: String = "istio-system", hosts: [String], port: Int = 443) -> APIObject {
    var server = Gateway.Server(port: .init(number: port, name: "https", protocol: "HTTPS", targetPort: nil), hosts: hosts, tls: nil, name: nil)
    server.tls = .init(
      httpsRedirect: nil, mode: "SIMPLE", credentialName: "certs", serverCertificate: nil, privateKey: nil, caCertificates: nil,
      subjectAltNames: nil, minProtocolVersion: nil, maxProtocolVersion: nil)
    return .gateway(Gateway(
      metadata: ObjectMeta(name: name, namespace: namespace), spec: .init(selector: ["istio": "ingressgateway"], servers: [server])))
  }

  @Test func anExactHostBeatsTheLongestWildcardWhichBeatsAShorterOne() throws {
    var cluster = try meshCluster(seed: 1, members: ["grpc"])
    for object in [
      Self.gateway("short", hosts: ["*.example.com"]), Self.gateway("long", hosts: ["*.apps.cluster.example.com"]),
      Self.gateway("older-exact", hosts: ["grpc.apps.cluster.example.com"]), Self.gateway("exact", hosts: ["grpc.apps.cluster.example.com"]),
      Self.gateway("plain-port", hosts: ["*"], port: 80), Self.gateway("hidden", in: "test", hosts: ["*"]),
    ] {
      try cluster.create(object)
      cluster.advance(by: .seconds(1))
    }
    let pod = try #require(cluster.store.pods(in: "istio-system").first { $0.metadata.labels?["istio"] == "ingressgateway" })
    func chain(_ serverName: String) -> String? { cluster.istiod.gatewayServer(on: pod, serverName: serverName)?.gateway.metadata.name }
    #expect(chain("grpc.apps.cluster.example.com") == "older-exact", "exact hosts tie: the older Gateway, though it sorts last by name")
    #expect(chain("other.apps.cluster.example.com") == "long")
    #expect(chain("www.example.com") == "short")
    #expect(chain("example.org") == nil, "no chain on 443 covers it; the Gateway outside the mesh is not sent")
    #expect(cluster.istiod.gatewayServers(on: pod).map(\.gateway.metadata.name).sorted() == ["exact", "long", "older-exact", "plain-port", "short"])
  }
}
