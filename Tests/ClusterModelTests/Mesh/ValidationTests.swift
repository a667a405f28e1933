import Foundation
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

  /// A DestinationRule whose spec is written as JSON, for fields the model keeps but never sets itself.
  static func rule(_ name: String, json: String, _ message: String?) -> AdmissionCase {
    rule(name, decoded(json), message)
  }

  static func gateway(_ name: String, json: String, _ message: String?) -> AdmissionCase {
    gateway(name, decoded(json) as [Gateway.Server], message)
  }

  private static func decoded<T: Decodable>(_ json: String) -> T {
    do {
      return try JSONDecoder().decode(T.self, from: Data(json.utf8))
    } catch {
      fatalError("\(error)")
    }
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
let admissionCases: [AdmissionCase] = recentCases + [
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
    invalid + "domain name \"ba!r\" invalid (label \"ba!r\" invalid)"),
  .service("an IP address as host", .init(hosts: ["10.0.0.1", "2001:db8::1"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]), nil),
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
  .rule("accented subset name", .init(host: "reviews", subsets: [.init(name: "vé1", labels: [:])]), invalid + "subset name is invalid: vé1"),
  .rule("subset name with a combining accent", .init(host: "reviews", subsets: [.init(name: "ve\u{301}", labels: [:])]), invalid + "subset name is invalid: ve\u{301}"),
  .rule("label key with a DNS prefix", .init(host: "reviews", subsets: [.init(name: "v1", labels: ["example.com/ver_sion.1": "v-1_2.3"])]), nil),
  .rule("accented label key and value", .init(host: "reviews", subsets: [.init(name: "v1", labels: ["vér": "v1", "version": "ve\u{301}"])]),
    invalid + "2 errors occurred:\n\t* invalid tag value: \"ve\u{301}\"\n\t* invalid tag key: \"vér\"\n\n"),
  .rule("label key prefix with an underscore", .init(host: "reviews", subsets: [.init(name: "v1", labels: ["exa_mple.com/v": "1", "-v": "_1"])]),
    invalid + "3 errors occurred:\n\t* invalid tag key: \"-v\"\n\t* invalid tag value: \"_1\"\n\t* invalid tag key: \"exa_mple.com/v\"\n\n"),
  .service("accented host label", .init(hosts: ["café.bar"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]),
    invalid + "domain name \"café.bar\" invalid (label \"café\" invalid)"),
  .service("host label with a combining accent", .init(hosts: ["bar.cafe\u{301}.com"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]),
    invalid + "domain name \"cafe\u{301}.com\" invalid (label \"cafe\u{301}\" invalid)"),
  .service("accented gateway name", .init(hosts: ["foo.bar"], gateways: ["ns1/gé"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]),
    invalid + "invalid value for gateway name: \"gé\""),
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

/// Cases for rules of recent Istio (`pkg/config/validation`), with their verdicts.
let recentCases: [AdmissionCase] = [
  .rule("duplicate subset names", json: #"{"host":"reviews","subsets":[{"name":"v1","labels":{"version":"v1"}},{"name":"v1","labels":{"version":"v2"}}]}"#,
    invalid + "duplicate subset names: v1"),
  .rule("upper-case subset name", json: #"{"host":"reviews","subsets":[{"name":"V1"}]}"#, nil),
  .rule("bad subset label key", json: #"{"host":"reviews","subsets":[{"name":"v1","labels":{"in valid":"v1"}}]}"#,
    invalid + "1 error occurred:\n\t* invalid tag key: \"in valid\"\n\n"),
  .rule("bad subset label value", json: #"{"host":"reviews","subsets":[{"name":"v1","labels":{"version":"-v1","app.kubernetes.io/name":"x"}}]}"#,
    invalid + "1 error occurred:\n\t* invalid tag value: \"-v1\"\n\n"),
  .rule("long label name", json: #"{"host":"reviews","subsets":[{"name":"v1","labels":{"\#(String(repeating: "a", count: 64))":"x"}}]}"#,
    invalid + "1 error occurred:\n\t* invalid tag key: \"\(String(repeating: "a", count: 64))\" (name is too long)\n\n"),
  .rule("IP address as host", json: #"{"host":"10.0.0.1"}"#,
    invalid + "domain name \"0.0.1\" invalid (top level domain \"1\" cannot be all-numeric)"),
  .rule("insecureSkipVerify with a CA", json: #"{"host":"reviews","trafficPolicy":{"tls":{"mode":"SIMPLE","insecureSkipVerify":true,"caCertificates":"/etc/ca.pem"}}}"#,
    invalid + "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true"),
  .rule("insecureSkipVerify with names, mutual", json: #"{"host":"reviews","trafficPolicy":{"tls":{"mode":"MUTUAL","insecureSkipVerify":true,"credentialName":"c","subjectAltNames":["a"]}}}"#,
    invalid + "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true"),
  .rule("insecureSkipVerify alone", json: #"{"host":"reviews","trafficPolicy":{"tls":{"mode":"SIMPLE","insecureSkipVerify":true}}}"#, nil),
  .rule("credentialName with a CRL", json: #"{"host":"reviews","trafficPolicy":{"tls":{"mode":"SIMPLE","credentialName":"c","caCrl":"/etc/crl.pem"}}}"#,
    invalid + "cannot specify client certificates or CA certificate or CA CRL If credentialName is set"),
  .rule("connection lifetime under 1ms", json: #"{"host":"reviews","trafficPolicy":{"connectionPool":{"tcp":{"maxConnectionDuration":"1.5ms"}}}}"#,
    invalid + "only durations to ms precision are supported"),
  .rule("negative concurrent streams", json: #"{"host":"reviews","trafficPolicy":{"connectionPool":{"http":{"maxConcurrentStreams":-1}}}}"#,
    invalid + "max concurrent streams must be non-negative"),
  .rule("keepalive interval of zero", json: #"{"host":"reviews","trafficPolicy":{"connectionPool":{"tcp":{"tcpKeepalive":{"time":"7200s","interval":"0s"}}}}}"#,
    invalid + "duration must be greater than 1ms"),
  .rule("idle timeout of zero", json: #"{"host":"reviews","trafficPolicy":{"connectionPool":{"tcp":{"idleTimeout":"0s"}}}}"#, nil),
  .rule("cookie without a name", json: #"{"host":"reviews","trafficPolicy":{"loadBalancer":{"consistentHash":{"httpCookie":{"name":"","ttl":"0s"}}}}}"#,
    invalid + "name required for HttpCookie"),
  .rule("maglev table not prime", json: #"{"host":"reviews","trafficPolicy":{"loadBalancer":{"consistentHash":{"maglev":{"tableSize":1000}}}}}"#,
    invalid + "tableSize must be a prime number for maglev"),
  .rule("maglev table unset", json: #"{"host":"reviews","trafficPolicy":{"loadBalancer":{"consistentHash":{"maglev":{}}}}}"#,
    invalid + "2 errors occurred:\n\t* tableSize must be set for maglev\n\t* tableSize must be a prime number for maglev\n\n"),
  .rule("maglev table prime", json: #"{"host":"reviews","trafficPolicy":{"loadBalancer":{"consistentHash":{"useSourceIp":true,"maglev":{"tableSize":65537}}}}}"#, nil),
  .rule("ring size twice", json: #"{"host":"reviews","trafficPolicy":{"loadBalancer":{"consistentHash":{"minimumRingSize":1024,"ringHash":{"minimumRingSize":1024}}}}}"#,
    invalid + "only one of MinimumRingSize or Maglev/Ringhash can be specified"),
  .rule("port policy of outlier detection only", json: #"{"host":"reviews","trafficPolicy":{"portLevelSettings":[{"port":{"number":9000},"outlierDetection":{"interval":"10s"}}]}}"#, nil),
  .gateway("partial wildcard host", json: #"[{"port":{"number":80,"name":"http","protocol":"HTTP"},"hosts":["*foo.example.com"]}]"#,
    invalid + "partial wildcard \"*foo.example.com\" not allowed"),
  .gateway("port number 0", json: #"[{"port":{"number":0,"name":"http","protocol":"HTTP"},"hosts":["foo.example.com"]}]"#,
    invalid + "port number 0 must be in the range 1..65535"),
  .gateway("credential and files", json: #"[{"port":{"number":443,"name":"https","protocol":"HTTPS"},"hosts":["foo.example.com"],"tls":{"mode":"SIMPLE","credentialName":"c","serverCertificate":"/c.pem","privateKey":"/k.pem"}}]"#,
    invalid + "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified"),
  .gateway("credential and credentials", json: #"[{"port":{"number":443,"name":"https","protocol":"HTTPS"},"hosts":["foo.example.com"],"tls":{"mode":"SIMPLE","credentialName":"c","credentialNames":["d"]}}]"#,
    invalid + "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified"),
  .gateway("credentials alone", json: #"[{"port":{"number":443,"name":"https","protocol":"HTTPS"},"hosts":["foo.example.com"],"tls":{"mode":"MUTUAL","credentialNames":["rsa","ecdsa"]}}]"#, nil),
  .gateway("certificates alone", json: #"[{"port":{"number":443,"name":"https","protocol":"HTTPS"},"hosts":["foo.example.com"],"tls":{"mode":"SIMPLE","tlsCertificates":[{"serverCertificate":"/c.pem","privateKey":"/k.pem"}]}}]"#, nil),
  .gateway("a certificate without its key", json: #"[{"port":{"number":443,"name":"https","protocol":"HTTPS"},"hosts":["foo.example.com"],"tls":{"mode":"MUTUAL","caCertificates":"/ca.pem","tlsCertificates":[{"serverCertificate":"/c.pem"}]}}]"#,
    invalid + "MUTUAL TLS requires a private key"),
  .gateway("a CRL with simple TLS", json: #"[{"port":{"number":443,"name":"https","protocol":"HTTPS"},"hosts":["foo.example.com"],"tls":{"mode":"SIMPLE","serverCertificate":"/c.pem","privateKey":"/k.pem","caCrl":"/crl.pem"}}]"#,
    invalid + "CRL is not supported with SIMPLE TLS"),
  .gateway("a CRL with a credential", json: #"[{"port":{"number":443,"name":"https","protocol":"HTTPS"},"hosts":["foo.example.com"],"tls":{"mode":"SIMPLE","credentialName":"c","caCrl":"/crl.pem"}}]"#, nil),
  .gateway("mutual without a CA", json: #"[{"port":{"number":443,"name":"https","protocol":"HTTPS"},"hosts":["foo.example.com"],"tls":{"mode":"MUTUAL"}}]"#,
    invalid + "3 errors occurred:\n\t* MUTUAL TLS requires a client CA bundle\n\t* MUTUAL TLS requires a server certificate\n\t* MUTUAL TLS requires a private key\n\n"),
  .gateway("two servers without a port", json: #"[{"hosts":["a.example.com"]},{"hosts":["b.example.com"]}]"#,
    invalid + "2 errors occurred:\n\t* port is required\n\t* port is required\n\n"),
  .rule("a negative idle timeout", json: #"{"host":"reviews","trafficPolicy":{"connectionPool":{"tcp":{"idleTimeout":"-5s"}}}}"#,
    invalid + "duration must be greater than 1ms"),
  .rule("a huge prime-sized Maglev table answers at once", json: #"{"host":"reviews","trafficPolicy":{"loadBalancer":{"consistentHash":{"maglev":{"tableSize":9223372036854775783}}}}}"#,
    invalid + "tableSize must be less than 5000011 for maglev"),
  .service("an empty destination subset", .init(hosts: ["foo.bar"], http: [.init(route: [.init(destination: Destination(host: "foo.baz", subset: ""))])]), nil),
  .service("gateway names after one without a namespace", .init(hosts: ["foo.bar"], gateways: ["mesh", "ns1/*"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]), nil),
  .service("an empty gateway name", .init(hosts: ["foo.bar"], gateways: ["ns1/"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]),
    invalid + "2 errors occurred:\n\t* config namespace and gateway name cannot be empty\n\t* invalid value for gateway name: \"\"\n\n"),
  .service("a signed IPv4 host is no address", .init(hosts: ["+1.2.3.4"], http: [.init(route: [.init(destination: Destination(host: "foo.baz"))])]),
    invalid + "domain name \"+1.2.3.4\" invalid (label \"+1\" invalid)"),
  .gateway("an IPv4 host", json: #"[{"port":{"number":80,"name":"http","protocol":"HTTP"},"hosts":["ns1/10.1.2.3"]}]"#, nil),
  .gateway("an IPv6 host has no dot", json: #"[{"port":{"number":80,"name":"http","protocol":"HTTP"},"hosts":["2001:db8::1"]}]"#,
    invalid + "short names (non FQDN) are not allowed"),
]
