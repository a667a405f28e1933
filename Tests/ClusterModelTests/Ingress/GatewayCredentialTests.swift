import Foundation
import Testing
import X509

@testable import ClusterModel

/// The ingress gateway's TLS 1.3 handshake with grpcurl, judged from the credential, the call and the
/// Gateway server alone, with the `openssl` fixtures of `TLSTests`.
@Suite struct GatewayCredentialTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/openssl")
  static let host = "grpc-istio-system.apps.cluster.example.com"
  static let valid = CivilTime.time(year: 2027, month: 6, day: 1)

  static func text(_ name: String) throws -> String {
    try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
  }

  static func identity(_ name: String) throws -> TLSIdentity {
    try TLSIdentity(certificates: text(name + ".crt"), key: text(name + ".key"))
  }

  static func call(roots: [Certificate]?, insecure: Bool = false, client: TLSIdentity? = nil) -> WorkstationCall {
    WorkstationCall(
      host: host, port: 443, plaintext: false, insecure: insecure, roots: roots, identity: client, authority: nil,
      path: "/helloworld.Greeter/SayHello", name: "test", connectTimeout: .seconds(10), userAgent: "grpcurl/v1.8.7")
  }

  static func server(mode: String, subjectAltNames: [String]? = nil) -> Gateway.Server {
    var server = Gateway.Server(port: .init(number: 443, name: "https", protocol: "HTTPS", targetPort: nil), hosts: [host], tls: nil, name: nil)
    server.tls = .init(
      httpsRedirect: nil, mode: mode, credentialName: "certs", serverCertificate: nil, privateKey: nil, caCertificates: nil,
      subjectAltNames: subjectAltNames, minProtocolVersion: nil, maxProtocolVersion: nil)
    return server
  }

  @Test func theClientChecksTheGatewayUnlessInsecure() throws {
    let roots = try PEM.certificates(in: Self.text("ca.crt"))
    let simple = GatewayCredential(identity: try Self.identity("server"), clientRoots: nil)
    let server = Self.server(mode: "SIMPLE")
    #expect(simple.handshake(with: Self.call(roots: roots), server: server, serverName: Self.host, at: Self.valid) == nil)
    #expect(simple.handshake(with: Self.call(roots: nil, insecure: true), server: server, serverName: Self.host, at: Self.valid) == nil)
    #expect(
      simple.handshake(with: Self.call(roots: nil), server: server, serverName: Self.host, at: Self.valid)
        == .failed("x509: certificate signed by unknown authority"))
  }

  @Test func aMutualGatewayRefusesAMissingOrUntrustedClientAfterTheHandshake() throws {
    let roots = try PEM.certificates(in: Self.text("ca.crt"))
    let mutual = GatewayCredential(identity: try Self.identity("server"), clientRoots: roots)
    let server = Self.server(mode: "MUTUAL")
    func handshake(_ client: TLSIdentity?, _ server: Gateway.Server = server) -> GatewayDialFailure? {
      mutual.handshake(with: Self.call(roots: roots, client: client), server: server, serverName: Self.host, at: Self.valid)
    }
    #expect(handshake(nil) == .refused(.missing))
    #expect(handshake(try Self.identity("rogue")) == .refused(.untrusted(.unknownAuthority)))
    #expect(handshake(try Self.identity("client.example.com")) == nil)
    // The fixture's client names itself in its common name only: Envoy matches `subjectAltNames` against
    // the certificate's SANs, so it is refused.
    guard case .refused(.untrusted(.hostname(let valid, let wanted)))? = handshake(
      try Self.identity("client.example.com"), Self.server(mode: "MUTUAL", subjectAltNames: ["client.example.com"]))
    else {
      Issue.record("a client certificate without the wanted SAN is refused")
      return
    }
    #expect(valid.isEmpty && wanted == "client.example.com")
  }
}
