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
    self = try Self.loaded.result(for: [UTF8Key(certificates), UTF8Key(key)]) { () throws(TLSLoadError) in
      try TLSIdentity(parsing: certificates, key: key)
    }
  }

  /// Identities loaded lately, by their PEM texts: a gateway reads its secret on every connection, and
  /// checking that the key belongs to the leaf costs an elliptic-curve multiplication.
  private static let loaded = RecentResults<[UTF8Key], TLSIdentity>(capacity: 16)

  /// Parses the chain and the key, and checks that they belong together.
  private init(parsing certificates: String, key: String) throws(TLSLoadError) {
    chain = try PEM.certificates(in: certificates)
    guard let leaf = chain.first else {
      throw PEM.privateKeyBlock(in: certificates) == nil ? .noCertificate : .keyAsCertificate
    }
    guard let block = PEM.privateKeyBlock(in: key) else {
      throw key.contains("-----BEGIN CERTIFICATE-----") ? .certificateAsKey : .noKey
    }
    do {
      self.key = try Certificate.PrivateKey(pemEncoded: block)
    } catch {
      throw .unparsableKey
    }
    guard self.key.publicKey == leaf.publicKey else { throw .keyMismatch }
  }
}

/// Why PEM text did not load.
public enum TLSLoadError: Error, Equatable, Sendable {
  /// The certificate text has no `CERTIFICATE` block.
  case noCertificate
  /// The certificate text holds a key: the files were swapped.
  case keyAsCertificate
  /// A `CERTIFICATE` block does not parse.
  case badCertificate
  /// The key text has no `… PRIVATE KEY` block.
  case noKey
  /// The key text holds a certificate: the files were swapped.
  case certificateAsKey
  /// The key block does not parse as a key of a supported type.
  case unparsableKey
  /// The key is not the leaf certificate's.
  case keyMismatch

  /// In Go's `crypto/tls` words, as grpcurl reports a client certificate it cannot load.
  public var goDescription: String {
    switch self {
    case .noCertificate: "tls: failed to find any PEM data in certificate input"
    case .keyAsCertificate:
      "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched"
    case .badCertificate: "x509: malformed certificate"
    case .noKey: "tls: failed to find any PEM data in key input"
    case .certificateAsKey: "tls: found a certificate rather than a key in the PEM for the private key"
    case .unparsableKey: "tls: failed to parse private key"
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
    try parsed.result(for: UTF8Key(text)) { () throws(TLSLoadError) in try parseCertificates(in: text) }
  }

  /// Certificates parsed lately, by their PEM text.
  private static let parsed = RecentResults<UTF8Key, [Certificate]>(capacity: 16)

  /// Parses every `CERTIFICATE` block of `text`.
  private static func parseCertificates(in text: String) throws(TLSLoadError) -> [Certificate] {
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

  /// The first `… PRIVATE KEY` block of `text` (skipping others, such as `EC PARAMETERS`), as Go's
  /// `X509KeyPair` takes it.
  static func privateKeyBlock(in text: String) -> String? {
    var rest = Substring(text)
    while let begin = rest.range(of: "-----BEGIN "),
      let labelEnd = rest.range(of: "-----", range: begin.upperBound..<rest.endIndex)
    {
      let label = rest[begin.upperBound..<labelEnd.lowerBound]
      guard let end = rest.range(of: "-----END \(label)-----", range: labelEnd.upperBound..<rest.endIndex) else { return nil }
      if label.hasSuffix("PRIVATE KEY") { return String(rest[begin.lowerBound..<end.upperBound]) }
      rest = rest[end.upperBound...]
    }
    return nil
  }
}

/// Why a TLS peer refuses a certificate chain.
public enum CertificateRejection: Error, Equatable, Sendable, Codable {
  /// No path of signatures leads to a trusted authority.
  case unknownAuthority
  /// The clock is past a certificate's end, or before its start.
  case expired(now: SimTime, notAfter: SimTime)
  case notYetValid(now: SimTime, notBefore: SimTime)
  /// The certificate's DNS names do not cover the host.
  case hostname(valid: [String], host: String)
  /// The certificate names its host only in the subject's common name.
  case legacyCommonName
  /// The certificate names no host at all.
  case noNames(host: String)
  /// The extended key usage does not allow the purpose.
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
    case .noNames(let host): "x509: certificate is not valid for any names, but wanted to match \(host)"
    case .incompatibleUsage: "x509: certificate specifies an incompatible key usage"
    }
  }

  /// The TLS alert a server sends when it refuses a client's certificate.
  public var alert: String {
    switch self {
    case .unknownAuthority: "unknown certificate authority"
    case .expired, .notYetValid: "certificate expired"
    case .hostname, .legacyCommonName, .noNames, .incompatibleUsage: "bad certificate"
    }
  }
}

/// What a certificate is presented for: a server's or a client's side of a handshake.
public enum CertificatePurpose: Sendable {
  /// A server's certificate, checked by its client.
  case server
  /// A client's certificate, checked by the server that asked for it.
  case client
}

extension Certificate {
  /// The certificate's validity as simulated instants, clamped to the years a `SimTime` holds (1678–2261),
  /// so that `99991231235959Z` means "for ever".
  var validity: ClosedRange<SimTime> {
    func instant(_ date: Date) -> SimTime { SimTime(seconds: Int64(min(max(date.timeIntervalSince1970, -9e9), 9e9))) }
    return instant(notValidBefore)...max(instant(notValidBefore), instant(notValidAfter))
  }

  /// The subject's common name, if it has one.
  var commonName: String? {
    for name in subject {
      for attribute in name where attribute.type == .RDNAttributeType.commonName { return attribute.value.description }
    }
    return nil
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
/// needs, in Go's order: the leaf's validity on the simulated clock, the host name for a server, a path
/// of valid signatures to one of `roots` through the presented intermediates, then extended key usage.
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
  if let host {
    let names = leaf.dnsNames
    if names.isEmpty {
      return leaf.commonName.map { hostMatches(pattern: $0, host: host) } == true ? .legacyCommonName : .noNames(host: host)
    }
    if !names.contains(where: { hostMatches(pattern: $0, host: host) }) { return .hostname(valid: names, host: host) }
  }
  if let problem = pathProblem(leaf, chain: chain, roots: roots, at: time) { return problem }
  if let usage = (try? leaf.extensions.extendedKeyUsage) ?? nil {
    let wanted: ExtendedKeyUsage.Usage = purpose == .server ? .serverAuth : .clientAuth
    if !usage.contains(wanted) && !usage.contains(.any) { return .incompatibleUsage }
  }
  return nil
}

/// Why no path of valid signatures leads from `leaf` to one of `roots`, or nil when one does.
private func pathProblem(_ leaf: Certificate, chain: [Certificate], roots: [Certificate], at time: SimTime) -> CertificateRejection? {
  var current = leaf
  for _ in 0..<8 {
    if roots.contains(current) { return nil }
    let issuers = roots.filter { $0.subject == current.issuer && isSigned(current, by: $0) }
    if let root = issuers.first { return timeProblem(root, at: time) }
    guard
      let intermediate = chain.dropFirst().first(where: {
        $0 != current && $0.isAuthority && $0.subject == current.issuer && isSigned(current, by: $0)
      })
    else { return .unknownAuthority }
    if let problem = timeProblem(intermediate, at: time) { return problem }
    current = intermediate
  }
  return .unknownAuthority
}

/// Whether `issuer`'s key made `certificate`'s signature.
private func isSigned(_ certificate: Certificate, by issuer: Certificate) -> Bool {
  checkedSignatures.result(for: [certificate, issuer]) { issuer.publicKey.isValidSignature(certificate.signature, for: certificate) }
}

/// Signatures checked lately, by the certificate and its issuer: a gateway checks the same client chain
/// on every connection, and each check costs an elliptic-curve verification.
private let checkedSignatures = RecentResults<[Certificate], Bool>(capacity: 32)

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
