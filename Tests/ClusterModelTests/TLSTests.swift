import ClusterModel
import Foundation
import Testing
import X509

/// Certificates made by `openssl` (`Fixtures/openssl/make.sh`), verified as grpcurl and Envoy verify them.
@Suite struct TLSTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/openssl")
  static let host = "grpc-istio-system.apps.cluster.example.com"

  static func text(_ name: String) throws -> String {
    try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
  }

  static func chain(_ name: String) throws -> [Certificate] { try PEM.certificates(in: text(name)) }

  /// A moment inside every fixture's validity (they were made on 2026-11-28, for ten years).
  static let valid = CivilTime.time(year: 2027, month: 6, day: 1)

  @Test func opensslCertificatesVerify() throws {
    let roots = try Self.chain("ca.crt")
    #expect(verifyChain(try Self.chain("server.crt"), roots: roots, at: Self.valid, purpose: .server, host: Self.host) == nil)
    #expect(verifyChain(try Self.chain("client.example.com.crt"), roots: roots, at: Self.valid, purpose: .client) == nil)
  }

  @Test func refusalsUseGosWords() throws {
    let roots = try Self.chain("ca.crt")
    let server = try Self.chain("server.crt")
    #expect(verifyChain(try Self.chain("rogue.crt"), roots: roots, at: Self.valid, purpose: .client) == .unknownAuthority)
    #expect(verifyChain(server, roots: [], at: Self.valid, purpose: .server, host: Self.host)?.goDescription
      == "x509: certificate signed by unknown authority")
    #expect(verifyChain(server, roots: roots, at: Self.valid, purpose: .server, host: "other.example.com")?.goDescription
      == "x509: certificate is valid for \(Self.host), not other.example.com")
    let early = Cluster.labStartTime
    #expect(verifyChain(server, roots: roots, at: early, purpose: .server, host: Self.host)?.goDescription.hasPrefix(
      "x509: certificate has expired or is not yet valid: current time 2023-05-19T15:21:07Z is before 2026-11-28T") == true)
    let late = CivilTime.time(year: 2040, month: 1, day: 1)
    #expect(verifyChain(server, roots: roots, at: late, purpose: .server, host: Self.host)?.goDescription.hasPrefix(
      "x509: certificate has expired or is not yet valid: current time 2040-01-01T00:00:00Z is after 2036-11-25T") == true)
    let client = try Self.chain("client.example.com.crt")
    #expect(verifyChain(client, roots: roots, at: Self.valid, purpose: .server, host: Self.host)?.goDescription
      == "x509: certificate is not valid for any names, but wanted to match \(Self.host)")
    #expect(verifyChain(client, roots: roots, at: Self.valid, purpose: .server, host: "client.example.com") == .legacyCommonName)
  }

  @Test func keysMustMatchTheirCertificate() throws {
    #expect(throws: Never.self) { try TLSIdentity(certificates: try Self.text("server.crt"), key: try Self.text("server.key")) }
    #expect(throws: TLSLoadError.keyMismatch) { try TLSIdentity(certificates: try Self.text("server.crt"), key: try Self.text("rogue.key")) }
    #expect(throws: TLSLoadError.noCertificate) { try TLSIdentity(certificates: "", key: try Self.text("rogue.key")) }
    #expect(throws: TLSLoadError.certificateAsKey) { try TLSIdentity(certificates: try Self.text("server.crt"), key: try Self.text("server.crt")) }
    let withParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + (try Self.text("server.key"))
    #expect(throws: Never.self) { try TLSIdentity(certificates: try Self.text("server.crt"), key: withParameters) }
  }

  @Test func loadsAgainAlike() throws {
    let certificates = try Self.text("server.crt")
    #expect(throws: TLSLoadError.keyMismatch) { try TLSIdentity(certificates: certificates, key: try Self.text("rogue.key")) }
    let first = try TLSIdentity(certificates: certificates, key: try Self.text("server.key"))
    let again = try TLSIdentity(certificates: certificates, key: try Self.text("server.key"))
    let parsed = try Self.chain("server.crt")
    #expect(first.chain == again.chain && first.chain == parsed)
    #expect(throws: TLSLoadError.keyMismatch) { try TLSIdentity(certificates: certificates, key: try Self.text("rogue.key")) }
  }
}
