import Foundation
import X509

/// A certificate chain and the private key of its first certificate, as a TLS endpoint loads them from PEM.
public struct TLSIdentity: Sendable {
  /// The leaf first, then any intermediates.
  public var chain: [Certificate]
  var key: Certificate.PrivateKey

  /// Loads a chain and its key from PEM text.
  ///
  /// - Throws: `TLSLoadError` when a block does not parse or the key does not belong to the leaf.
  public init(certificates: String, key: String) throws(TLSLoadError) {
    chain = try PEM.certificates(in: certificates)
    guard let leaf = chain.first else { throw .noCertificate }
    do {
      self.key = try Certificate.PrivateKey(pemEncoded: key)
    } catch {
      throw .badKey
    }
    guard self.key.publicKey == leaf.publicKey else { throw .keyMismatch }
  }
}

/// Why PEM text did not load.
public enum TLSLoadError: Error, Equatable, Sendable {
  case noCertificate
  case badCertificate
  case badKey
  case keyMismatch

  /// In Go's `crypto/tls` words, as grpcurl reports a client certificate it cannot load.
  public var goDescription: String {
    switch self {
    case .noCertificate: "tls: failed to find any PEM data in certificate input"
    case .badCertificate: "x509: malformed certificate"
    case .badKey: "tls: failed to find any PEM data in key input"
    case .keyMismatch: "tls: private key does not match public key"
    }
  }
}

/// PEM text as TLS stacks read it.
public enum PEM {
  /// Every `CERTIFICATE` block of `text`, in order.
  ///
  /// - Throws: `TLSLoadError.badCertificate` when a block does not parse.
  public static func certificates(in text: String) throws(TLSLoadError) -> [Certificate] {
    let begin = "-----BEGIN CERTIFICATE-----"
    let end = "-----END CERTIFICATE-----"
    var certificates: [Certificate] = []
    var rest = Substring(text)
    while let start = rest.range(of: begin), let stop = rest.range(of: end, range: start.upperBound..<rest.endIndex) {
      do {
        certificates.append(try Certificate(pemEncoded: String(rest[start.lowerBound..<stop.upperBound])))
      } catch {
        throw .badCertificate
      }
      rest = rest[stop.upperBound...]
    }
    return certificates
  }
}

/// Why a TLS peer refuses a certificate chain.
public enum CertificateRejection: Error, Equatable, Sendable {
  case unknownAuthority
  case expired(now: SimTime, notAfter: SimTime)
  case notYetValid(now: SimTime, notBefore: SimTime)
  case hostname(valid: [String], host: String)
  /// The certificate names its host only in the subject's common name.
  case legacyCommonName
  case incompatibleUsage

  /// In Go's `crypto/x509` words, as grpcurl prints a server certificate it refuses.
  public var goDescription: String {
    switch self {
    case .unknownAuthority: "x509: certificate signed by unknown authority"
    case .expired(let now, let notAfter):
      "x509: certificate has expired or is not yet valid: current time \(now.rfc3339(fractionDigits: 0)) is after \(notAfter.rfc3339(fractionDigits: 0))"
    case .notYetValid(let now, let notBefore):
      "x509: certificate has expired or is not yet valid: current time \(now.rfc3339(fractionDigits: 0)) is before \(notBefore.rfc3339(fractionDigits: 0))"
    case .hostname(let valid, let host): "x509: certificate is valid for \(valid.joined(separator: ", ")), not \(host)"
    case .legacyCommonName: "x509: certificate relies on legacy Common Name field, use SANs instead"
    case .incompatibleUsage: "x509: certificate specifies an incompatible key usage"
    }
  }

  /// The TLS alert a server sends when it refuses a client's certificate.
  public var alert: String {
    switch self {
    case .unknownAuthority: "unknown certificate authority"
    case .expired, .notYetValid: "certificate expired"
    case .hostname, .legacyCommonName, .incompatibleUsage: "bad certificate"
    }
  }
}

/// What a certificate is presented for: a server's or a client's side of a handshake.
public enum CertificatePurpose: Sendable {
  case server
  case client
}

extension Certificate {
  /// The certificate's validity as simulated instants.
  var validity: ClosedRange<SimTime> {
    SimTime(seconds: Int64(notValidBefore.timeIntervalSince1970))...SimTime(seconds: Int64(notValidAfter.timeIntervalSince1970))
  }

  /// The DNS names of the subject alternative name extension.
  var dnsNames: [String] {
    ((try? extensions.subjectAlternativeNames) ?? nil)?.compactMap { name -> String? in
      if case .dnsName(let value) = name { return value }
      return nil
    } ?? []
  }

  /// Whether the certificate may sign others (basic constraints `CA:TRUE`).
  var isAuthority: Bool {
    if case .isCertificateAuthority = (try? extensions.basicConstraints) ?? nil { return true }
    return false
  }
}

/// Verifies a peer's certificate chain as Go's `crypto/x509` and BoringSSL do for the checks the model
/// needs: validity on the simulated clock, a path of valid signatures to one of `roots` through the
/// presented intermediates, extended key usage, and the host name for a server.
///
/// - Parameters:
///   - chain: The presented chain, leaf first.
///   - roots: The trusted authorities.
///   - host: The name the client dialled; nil skips the name check (a server checking a client).
/// - Returns: Why the chain is refused, or nil when it is trusted.
public func verifyChain(
  _ chain: [Certificate], roots: [Certificate], at time: SimTime, purpose: CertificatePurpose, host: String? = nil
) -> CertificateRejection? {
  guard let leaf = chain.first else { return .unknownAuthority }
  if let problem = timeProblem(leaf, at: time) { return problem }
  if let usage = (try? leaf.extensions.extendedKeyUsage) ?? nil {
    let wanted: ExtendedKeyUsage.Usage = purpose == .server ? .serverAuth : .clientAuth
    if !usage.contains(wanted) && !usage.contains(.any) { return .incompatibleUsage }
  }
  if let host {
    let names = leaf.dnsNames
    if names.isEmpty { return .legacyCommonName }
    if !names.contains(where: { hostMatches(pattern: $0, host: host) }) { return .hostname(valid: names, host: host) }
  }
  var current = leaf
  for _ in 0..<8 {
    if roots.contains(current) { return nil }
    let issuers = roots.filter { $0.subject == current.issuer && $0.publicKey.isValidSignature(current.signature, for: current) }
    if let root = issuers.first { return timeProblem(root, at: time) }
    guard
      let intermediate = chain.dropFirst().first(where: {
        $0 != current && $0.isAuthority && $0.subject == current.issuer && $0.publicKey.isValidSignature(current.signature, for: current)
      })
    else { return .unknownAuthority }
    if let problem = timeProblem(intermediate, at: time) { return problem }
    current = intermediate
  }
  return .unknownAuthority
}

private func timeProblem(_ certificate: Certificate, at time: SimTime) -> CertificateRejection? {
  let validity = certificate.validity
  if time < validity.lowerBound { return .notYetValid(now: time, notBefore: validity.lowerBound) }
  if time > validity.upperBound { return .expired(now: time, notAfter: validity.upperBound) }
  return nil
}

/// Whether a certificate's DNS name (exact, or `*.` one label deep) covers `host`, case-insensitively.
private func hostMatches(pattern: String, host: String) -> Bool {
  let pattern = pattern.lowercased()
  let host = host.lowercased()
  if pattern.hasPrefix("*.") {
    guard let dot = host.firstIndex(of: ".") else { return false }
    return host[dot...] == pattern.dropFirst()
  }
  return pattern == host
}
