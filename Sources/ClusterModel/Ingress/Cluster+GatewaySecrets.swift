extension Cluster {
  /// What istiod cannot serve the ingress gateway for the `credentialName`s of the Gateways it is sent, in
  /// istiod's words (pilot's SDS, `ads` scope), each once per change: a secret that is missing, lacks a
  /// certificate and key, or (for `MUTUAL`) lacks a CA.
  public var gatewaySecretProblems: [String] {
    guard let pod = store.pods(in: Self.controlPlaneNamespace, where: { $0.metadata.labels?["istio"] == "ingressgateway" }).first
    else { return [] }
    var problems: [String] = []
    for entry in istiod.gatewayServers(on: pod) {
      guard let name = entry.server.tls?.credentialName,
        let mode = entry.server.tls?.mode.flatMap({ ServerTLSMode(rawValue: $0.uppercased()) }), [.simple, .mutual].contains(mode)
      else { continue }
      let namespace = pod.metadata.namespace ?? ""
      let secret: [String: String]?
      if case .secret(let found) = store[ObjectKey(kind: .secret, namespace: namespace, name: name)] { secret = found.decodedData } else { secret = nil }
      let notFound = "secret \(namespace)/\(name) not found"
      if secret.flatMap(Istiod.keyPair(in:)) == nil {
        let reason = secret.map {
          "found secret, but didn't have expected keys (cert and key) or (tls.crt and tls.key); found: \(Self.keyList($0))"
        } ?? notFound
        problems.append("failed to fetch key and certificate for kubernetes://\(name): \(reason)")
      }
      guard mode == .mutual else { continue }
      let authority = istiod.gatewayAuthoritySecret(name, in: namespace)
      if authority.flatMap(Istiod.certificateAuthority(in:)) == nil {
        let reason = authority.map { "found secret, but didn't have expected keys cacert or ca.crt; found: \(Self.keyList($0))" } ?? notFound
        problems.append("failed to fetch ca certificate for kubernetes://\(name)-cacert: \(reason)")
      }
    }
    return problems
  }

  /// Logs each new problem of `gatewaySecretProblems` in istiod's log, as a warning of its `ads` scope.
  mutating func reportGatewaySecrets() {
    let problems = gatewaySecretProblems
    for problem in problems where !gatewaySecretWarnings.contains(problem) { logIstiod("warn", "ads", problem) }
    gatewaySecretWarnings = Set(problems)
  }

  /// A secret's keys as istiod lists them: sorted, the first three and how many more.
  private static func keyList(_ data: [String: String]) -> String {
    let keys = data.keys.sorted()
    return keys.count < 3 ? keys.joined(separator: ", ") : keys.prefix(3).joined(separator: ", ") + ", and \(keys.count - 3) more..."
  }
}
