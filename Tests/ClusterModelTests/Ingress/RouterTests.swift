import Testing

@testable import ClusterModel

/// The router's decision for a workstation connection, from the stored Routes alone: what never reaches
/// it, what it answers itself, and which Route claims a server name.
@Suite struct RouterTests {
  static func call(_ host: String, port: Int = 443, plaintext: Bool = false, insecure: Bool = false) -> WorkstationCall {
    WorkstationCall(
      host: host, port: port, plaintext: plaintext, insecure: insecure, roots: nil, identity: nil, authority: nil,
      path: "/helloworld.Greeter/SayHello", name: "test", connectTimeout: .seconds(10), userAgent: "grpcurl/v1.8.7")
  }

  static let apps = "grpc-grpc.apps.cluster.example.com"
  static let unknownAuthority = GatewayDialFailure.failed(CertificateRejection.unknownAuthority.goDescription)

  static let cases: [(WorkstationCall, Router.Decision)] = [
    (call("grpc.example.org"), .dialFailed(.failed("dial tcp: lookup grpc.example.org on 127.0.0.53:53: no such host"))),
    (call("localhost", port: 9000), .dialFailed(.failed("dial tcp 127.0.0.1:9000: connect: connection refused"))),
    (call("198.51.100.7"), .dialFailed(.timedOut)),
    (call(apps, port: 80, plaintext: true), .dialFailed(.unusable("error reading server preface: http2: frame too large"))),
    (call(apps, port: 80), .dialFailed(.failed("tls: first record does not look like a TLS handshake"))),
    (call(apps, port: 8443), .dialFailed(.failed("dial tcp 203.0.113.10:8443: connect: connection refused"))),
    (call(apps, plaintext: true), .answered(.timedOut)),
    (call("NOBODY.APPS.CLUSTER.EXAMPLE.COM"), .answered(unknownAuthority)),
    (call("nobody.apps.cluster.example.com", insecure: true), .answered(.timedOut)),
    (call("203.0.113.10"), .answered(unknownAuthority)),
  ]

  @Test(arguments: cases)
  func decides(_ call: WorkstationCall, _ expected: Router.Decision) {
    #expect(Cluster(seed: 1).router.route(call) == expected)
  }

  @Test func theOldestRouteClaimsAHostAndAPassthroughRouteWithoutEndpointsEndsTheConnection() throws {
    var cluster = Cluster(seed: 1)
    try cluster.createProject("grpc")
    func route(_ name: String, termination: String) -> APIObject {
      .route(Route(
        metadata: ObjectMeta(name: name, namespace: "grpc"),
        spec: .init(host: Self.apps, to: .init(name: "grpc"), port: nil, tls: .init(termination: termination))))
    }
    try cluster.create(route("zeta", termination: "passthrough"))
    cluster.advance(by: .seconds(1))
    try cluster.create(route("alpha", termination: "edge"))
    #expect(cluster.router.admittedRoute(forHost: Self.apps)?.metadata.name == "zeta", "the older, though it sorts last by name")
    #expect(cluster.router.admittedRoute(forHost: "") == nil)
    #expect(cluster.router.route(Self.call(Self.apps)) == .answered(.failed("EOF")), "no Service behind the route")
  }
}
