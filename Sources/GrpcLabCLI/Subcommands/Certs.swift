import ArgumentParser
import ClusterModel
import Crypto
import Foundation
import LabKit
import X509

extension GrpcLab {
  /// `grpclab certs [--out DIR] [--host HOST] [--client NAME]`: a lab CA, a server certificate for the
  /// gateway's host, a client certificate, and a self-signed "rogue" client certificate from no CA.
  struct Certs: WorkspaceFileCommand {
    static let configuration = CommandConfiguration(
      commandName: "certs",
      abstract: "Make the certificates of the ingress step: a CA, a gateway server certificate, a client and a rogue client.",
      discussion: """
        Writes ca.crt/ca.key, gateway.crt/gateway.key (for --host), <client>.crt/<client>.key and \
        rogue.crt/rogue.key (self-signed, trusted by nobody) as PEM, with P-256 keys. They are valid from \
        the day before the article's date for 20 years, so on the lab's clock of any workspace, recordings \
        included. Certificates made with openssl work as well.
        """)

    @Option(help: "The folder to write to.")
    var out = "certs"

    @Option(help: "The host name of the gateway's server certificate.")
    var host = "grpc-istio-system.apps.cluster.example.com"

    @Option(help: "The common name and file name of the client certificate.")
    var client = "client.example.com"

    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      let folder = environment.absolute(out)
      for (option, name) in [("--host", host), ("--client", client)] where !Self.isDNSName(name) {
        throw .usage("\(option) must be a DNS name (lower-case letters, digits, '-' and '.'), not '\(name)'")
      }
      let files: [(name: String, contents: String)]
      do {
        files = try Self.make(host: host, client: client)
      } catch {
        throw .usage("cannot make the certificates: \(error)")
      }
      for file in files {
        do { try environment.files.write(file.contents, to: folder + "/" + file.name) } catch {
          throw .io(folder + "/" + file.name, "\(error)")
        }
        environment.write(Message.wrote(out + "/" + file.name).text(environment.preferredLanguage) + "\n")
      }
      return 0
    }

    /// Whether `name` is a lower-case DNS name (labels of at most 63 characters), which is also safe as a file name.
    static func isDNSName(_ name: String) -> Bool {
      Cluster.isDNS1123Subdomain(name) && name.split(separator: ".").allSatisfy { $0.count <= 63 }
    }

    /// The PEM files, by name.
    static func make(host: String, client: String) throws -> [(name: String, contents: String)] {
      let start = Date(timeIntervalSince1970: TimeInterval((Cluster.labStartTime + .seconds(-86_400)).seconds))
      let end = start.addingTimeInterval(20 * 365 * 86_400)
      let caKey = P256.Signing.PrivateKey()
      let caName = try DistinguishedName {
        OrganizationName("grpclab")
        CommonName("grpclab lab CA")
      }
      let ca = try Certificate(
        version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(caKey.publicKey),
        notValidBefore: start, notValidAfter: end, issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
        extensions: try Certificate.Extensions {
          Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
          Critical(KeyUsage(keyCertSign: true, cRLSign: true))
        },
        issuerPrivateKey: .init(caKey))

      func leaf(_ name: String, dnsName: String?, usage: ExtendedKeyUsage.Usage, issuer: (Certificate, P256.Signing.PrivateKey)?)
        throws -> (Certificate, P256.Signing.PrivateKey)
      {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
          version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
          notValidBefore: start, notValidAfter: end, issuer: issuer?.0.subject ?? subject, subject: subject,
          signatureAlgorithm: .ecdsaWithSHA256,
          extensions: try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([usage])
            if let dnsName { SubjectAlternativeNames([.dnsName(dnsName)]) }
          },
          issuerPrivateKey: .init(issuer?.1 ?? key))
        return (certificate, key)
      }

      let gateway = try leaf(host, dnsName: host, usage: .serverAuth, issuer: (ca, caKey))
      let clientPair = try leaf(client, dnsName: client, usage: .clientAuth, issuer: (ca, caKey))
      let rogue = try leaf("rogue.example.com", dnsName: "rogue.example.com", usage: .clientAuth, issuer: nil)
      return try [
        ("ca.crt", ca.serializeAsPEM().pemString + "\n"), ("ca.key", caKey.pemRepresentation + "\n"),
        ("gateway.crt", gateway.0.serializeAsPEM().pemString + "\n"), ("gateway.key", gateway.1.pemRepresentation + "\n"),
        ("\(client).crt", clientPair.0.serializeAsPEM().pemString + "\n"), ("\(client).key", clientPair.1.pemRepresentation + "\n"),
        ("rogue.crt", rogue.0.serializeAsPEM().pemString + "\n"), ("rogue.key", rogue.1.pemRepresentation + "\n"),
      ]
    }
  }
}
