import Testing

@testable import ClusterModel

/// One admission case, with Istio's verdict: `nil` when the object is accepted, else the webhook's message.
struct AdmissionCase: CustomTestStringConvertible, Sendable {
  var name: String
  var object: APIObject
  var message: String?

  var testDescription: String { name }

  static func rule(_ name: String, _ spec: DestinationRule.Spec, _ message: String?) -> AdmissionCase {
    AdmissionCase(
      name: name, object: .destinationRule(DestinationRule(metadata: ObjectMeta(name: "dr", namespace: "grpc"), spec: spec)),
      message: message)
  }

  static func service(_ name: String, _ spec: VirtualService.Spec, _ message: String?) -> AdmissionCase {
    AdmissionCase(
      name: name, object: .virtualService(VirtualService(metadata: ObjectMeta(name: "vs", namespace: "grpc"), spec: spec)),
      message: message)
  }

  static func gateway(_ name: String, _ servers: [Gateway.Server]?, _ message: String?) -> AdmissionCase {
    AdmissionCase(
      name: name,
      object: .gateway(Gateway(
        metadata: ObjectMeta(name: "gw", namespace: "grpc"), spec: .init(selector: ["istio": "ingressgateway"], servers: servers))),
      message: message)
  }
}

private func pool(tcp: ConnectionPoolSettings.TCP? = nil, http: ConnectionPoolSettings.HTTP? = nil) -> TrafficPolicy {
  TrafficPolicy(connectionPool: ConnectionPoolSettings(tcp: tcp, http: http))
}

private func route(_ weights: [Int?]) -> VirtualService.Spec {
  .init(hosts: ["grpc"], http: [.init(route: weights.enumerated().map { .init(destination: Destination(host: "grpc\($0.offset)"), weight: $0.element) })])
}

private func server(_ number: Int?, _ name: String?, _ proto: String?, hosts: [String] = ["grpc.apps.example.com"], tls: Gateway.ServerTLS? = nil)
  -> Gateway.Server
{
  Gateway.Server(port: .init(number: number, name: name, protocol: proto, targetPort: nil), hosts: hosts, tls: tls, name: nil)
}

private func tls(_ mode: String, credential: String? = nil, certificate: String? = nil) -> Gateway.ServerTLS {
  Gateway.ServerTLS(
    httpsRedirect: nil, mode: mode, credentialName: credential, serverCertificate: certificate, privateKey: nil,
    caCertificates: nil, subjectAltNames: nil, minProtocolVersion: nil, maxProtocolVersion: nil)
}

private let invalid = "configuration is invalid: "

/// Cases from Istio's own validation tests (`pkg/config/validation/validation_test.go`), with Istio 1.18's verdicts.
let admissionCases: [AdmissionCase] = [
  .rule("subsets with labels", .init(host: "reviews", subsets: [.init(name: "v1", labels: ["version": "v1"])]), nil),
  .rule("empty host", .init(host: "", subsets: [.init(name: "v1", labels: ["version": "v1"])]), invalid + "empty domain name not allowed"),
  .rule("empty subset name", .init(host: "reviews", subsets: [.init(name: "", labels: ["version": "v1"])]), invalid + "subset name cannot be empty"),
  .rule("dotted subset name", .init(host: "reviews", subsets: [.init(name: "2.0.0", labels: [:])]), invalid + "subset name is invalid: 2.0.0"),
  .rule("empty traffic policy", .init(host: "reviews", trafficPolicy: TrafficPolicy()), invalid + "traffic policy must have at least one field"),
  .rule("empty connection pool", .init(host: "reviews", trafficPolicy: pool()), invalid + "connection pool must have at least one field"),
  .rule("full connection pool", .init(host: "reviews", trafficPolicy: pool(
    tcp: .init(maxConnections: 7), http: .init(http1MaxPendingRequests: 2, http2MaxRequests: 11, maxRequestsPerConnection: 5))), nil),
  .rule("zero means unlimited", .init(host: "reviews", trafficPolicy: pool(tcp: .init(maxConnections: 0), http: .init(http2MaxRequests: 0))), nil),
  .rule("negative max connections", .init(host: "reviews", trafficPolicy: pool(tcp: .init(maxConnections: -1))),
    invalid + "max connections must be non-negative"),
  .rule("negative pending and requests", .init(host: "reviews", trafficPolicy: pool(http: .init(http1MaxPendingRequests: -1, http2MaxRequests: -1))),
    invalid + "2 errors occurred:\n\t* http1 max pending requests must be non-negative\n\t* http2 max requests must be non-negative\n\n"),
  .rule("negative requests per connection", .init(host: "reviews", trafficPolicy: pool(http: .init(maxRequestsPerConnection: -1))),
    invalid + "max requests per connection must be non-negative"),
  .rule("istio mutual with a certificate", .init(host: "reviews", trafficPolicy: TrafficPolicy(tls: {
    var tls = ClientTLSSettings(mode: "ISTIO_MUTUAL")
    tls.clientCertificate = "/etc/certs/cert.pem"
    return tls
  }())), nil),
  .rule("mutual without certificates", .init(host: "reviews", trafficPolicy: TrafficPolicy(tls: ClientTLSSettings(mode: "MUTUAL"))),
    invalid + "2 errors occurred:\n\t* client certificate required for mutual tls\n\t* private key required for mutual tls\n\n"),
  .service("one route", .init(hosts: ["foo.bar"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]), nil),
  .service("overlapping hosts", .init(hosts: ["*.foo.bar", "*.bar"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]),
    invalid + "duplicate hosts in virtual service: *.foo.bar & *.bar"),
  .service("missing destination", .init(hosts: ["foo.bar"], http: [.init(route: [.init(destination: Destination(host: ""))])]),
    invalid + "1 error occurred:\n\t* destination is required\n\n"),
  .service("bad host label", .init(hosts: ["foo.ba!r"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]),
    invalid + "domain name \"foo.ba!r\" invalid (label \"ba!r\" invalid)"),
  .service("no routes", .init(hosts: ["foo.bar"]), invalid + "http, tcp or tls must be provided in virtual service"),
  .service("empty http route", .init(hosts: ["foo.bar"], http: [.init()]), invalid + "HTTP route, redirect or direct_response is required"),
  .service("wildcard host on the mesh", .init(hosts: ["*"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]),
    invalid + "wildcard host * is not allowed for virtual services bound to the mesh gateway"),
  .service("wildcard host on a gateway", .init(hosts: ["*"], gateways: ["somegateway"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]), nil),
  .service("gateway wildcard name", .init(hosts: ["foo.bar"], gateways: ["ns1/*"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]),
    invalid + "invalid value for gateway name: \"*\""),
  .service("weights 25 and 75", route([25, 75]), nil),
  .service("weights need not sum to 100", route([550, 500]), nil),
  .service("weights 49 and 50", route([49, 50]), nil),
  .service("weights 100 and 0", route([100, 0]), nil),
  .service("all weights zero", route([0, 0]), invalid + "total destination weight = 0"),
  .service("negative weight", route([5, -1]), invalid + "weight -1 < 0"),
  .service("destination host wildcard", .init(hosts: ["foo.bar"], http: [.init(route: [.init(destination: Destination(host: "*"))])]),
    invalid + "invalid destination host *"),
  .service("unnumbered destination port", .init(hosts: ["foo.bar"], http: [.init(route: [.init(destination: Destination(host: "foo.baz", port: .init(number: nil)))])]),
    invalid + "port number 0 must be in the range 1..65535"),
  .gateway("no servers", nil, invalid + "gateway must have at least one server"),
  .gateway("lower-case protocol", [server(7, "name1", "http", hosts: ["foo.bar.com"])], nil),
  .gateway("port out of range", [server(66000, "http", "HTTP")], invalid + "port number 66000 must be in the range 1..65535"),
  .gateway("duplicate port names", [server(80, "foo", "HTTP"), server(8080, "foo", "HTTP")],
    invalid + "port names in servers must be unique: duplicate name foo"),
  .gateway("short host", [server(80, "http", "HTTP", hosts: ["foo"])], invalid + "short names (non FQDN) are not allowed"),
  .gateway("namespaced hosts", [server(80, "http", "HTTP", hosts: ["ns1/foo.bar.com", "*/foo.bar.com", "./foo.bar.com"])], nil),
  .gateway("https without tls", [server(10000, "https", "https")], invalid + "server must have TLS settings for HTTPS/TLS protocols"),
  .gateway("unknown protocol", [server(80, "kafka", "kafka")],
    invalid + "invalid protocol \"kafka\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP"),
  .gateway("mutual with a credential", [server(443, "https", "HTTPS", tls: tls("MUTUAL", credential: "grpc-credential"))], nil),
  .gateway("istio mutual with a certificate", [server(443, "https", "HTTPS", tls: tls("ISTIO_MUTUAL", certificate: "/etc/cert.pem"))],
    invalid + "ISTIO_MUTUAL TLS cannot have associated server certificate"),
]

@Suite struct ValidationTests {
  @Test(arguments: admissionCases)
  func admissionFollowsIstio(_ admission: AdmissionCase) throws {
    var cluster = Cluster(seed: 1)
    try cluster.createProject("grpc")
    let before = cluster.store
    do {
      try cluster.create(admission.object)
      #expect(admission.message == nil, "accepted, but Istio rejects it")
    } catch {
      #expect(error == .denied(webhook: "validation.istio.io", message: admission.message ?? "(accepted)"))
      #expect(cluster.store == before)
    }
  }

  @Test func enumsAreCheckedByTheSchemaFirst() throws {
    var cluster = Cluster(seed: 1)
    try cluster.createProject("grpc")
    let rule = DestinationRule(
      metadata: ObjectMeta(name: "grpc-dr", namespace: "grpc"),
      spec: .init(host: "grpc", trafficPolicy: TrafficPolicy(loadBalancer: .init(simple: "FASTEST"))))
    #expect(throws: ClusterError.invalid(.destinationRule, name: "grpc-dr", causes: [
      "spec.trafficPolicy.loadBalancer.simple: Unsupported value: \"FASTEST\": supported values: \"UNSPECIFIED\", \"LEAST_CONN\", \"RANDOM\", \"PASSTHROUGH\", \"ROUND_ROBIN\", \"LEAST_REQUEST\""
    ])) {
      try cluster.create(.destinationRule(rule))
    }
  }

  @Test func theMemberRollMustBeTheDefaultOneOfTheControlPlane() throws {
    var cluster = Cluster(seed: 1)
    try cluster.createProject("grpc")
    func roll(_ name: String, _ namespace: String) -> APIObject {
      .serviceMeshMemberRoll(ServiceMeshMemberRoll(metadata: ObjectMeta(name: name, namespace: namespace), spec: .init(members: ["grpc"])))
    }
    #expect(throws: ClusterError.denied(
      webhook: "smmr.validation.maistra.io", reason: "BadRequest", message: "ServiceMeshMemberRoll must be named 'default'")
    ) { try cluster.create(roll("mine", "istio-system")) }
    #expect(throws: ClusterError.denied(
      webhook: "smmr.validation.maistra.io", reason: "BadRequest", message: "no service mesh is configured in namespace 'grpc'")
    ) { try cluster.create(roll("default", "grpc")) }
  }
}
