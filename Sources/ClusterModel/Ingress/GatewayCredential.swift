import X509

/// The TLS settings the ingress gateway serves for one Gateway server: its certificate and, for
/// `MUTUAL`, the authorities client certificates must chain to.
struct GatewayCredential {
  /// The gateway's certificate chain and key.
  var identity: TLSIdentity
  /// For `MUTUAL`, the authorities a client's certificate must chain to.
  var clientRoots: [Certificate]?

  /// How the TLS 1.3 handshake of `call` with the gateway ends at `now`, for a server name the Gateway
  /// `server` covers: the client checks the gateway's chain (unless `-insecure`), then, for `MUTUAL`, the
  /// gateway checks the client's certificate and its `subjectAltNames`.
  ///
  /// - Returns: Why the handshake fails; nil when it succeeds.
  func handshake(with call: WorkstationCall, server: Gateway.Server, serverName: String, at now: SimTime) -> GatewayDialFailure? {
    if !call.insecure, let rejection = verifyChain(identity.chain, roots: call.roots ?? [], at: now, purpose: .server, host: serverName) {
      return .failed(rejection.goDescription)
    }
    guard let roots = clientRoots else { return nil }
    // TLS 1.3: the client's handshake is done before the gateway judges its certificate; the alert then
    // breaks the connection.
    guard let client = call.identity else { return .refused(.missing) }
    let names = server.tls?.subjectAltNames ?? []
    let rejection = verifyChain(client.chain, roots: roots, at: now, purpose: .client)
      ?? (names.isEmpty || client.chain.first.map { leaf in leaf.dnsNames.contains(where: names.contains) } == true
        ? nil : .hostname(valid: client.chain.first?.dnsNames ?? [], host: names.joined(separator: ", ")))
    return rejection.map { .refused(.untrusted($0)) }
  }
}
