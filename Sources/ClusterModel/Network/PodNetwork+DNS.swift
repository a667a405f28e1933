extension Cluster {
  /// The cluster DNS domain.
  public static let clusterDomain = "cluster.local"
  /// The address of the cluster's DNS Service, the nameserver a pod's `resolv.conf` names.
  public static let dnsServer = "172.30.0.10"
}

/// Cluster DNS: a Service's name resolves to its virtual IP, a headless Service's to its ready pods.
extension PodNetwork {
  /// Resolves `name` as a pod in `namespace` would: IP literals, `localhost`, then the search path
  /// `<ns>.svc.cluster.local svc.cluster.local cluster.local` (ndots 5).
  ///
  /// - Returns: The addresses: a Service's virtual IP, or the ready pod IPs of a headless Service; empty when
  ///   the name does not exist (NXDOMAIN).
  func resolve(_ name: String, from namespace: String) -> [String] {
    if name == "localhost" { return ["127.0.0.1"] }
    if SocketAddress.isIPv4(name) { return [name] }
    let absolute = name.hasSuffix(".") ? String(name.dropLast()) : name
    let dots = absolute.filter { $0 == "." }.count
    let domain = Cluster.clusterDomain
    let search = ["\(namespace).svc.\(domain)", "svc.\(domain)", domain]
    var candidates = name.hasSuffix(".") ? [absolute] : search.map { "\(absolute).\($0)" }
    if !name.hasSuffix(".") {
      if dots >= 5 { candidates.insert(absolute, at: 0) } else { candidates.append(absolute) }
    }
    for candidate in candidates {
      let addresses = lookup(candidate)
      if !addresses.isEmpty { return addresses }
    }
    return []
  }

  /// The A records of one fully qualified name.
  private func lookup(_ fqdn: String) -> [String] {
    let suffix = ".svc.\(Cluster.clusterDomain)"
    guard fqdn.hasSuffix(suffix) else { return [] }
    let parts = fqdn.dropLast(suffix.count).split(separator: ".")
    guard parts.count == 2, let service = store.service(String(parts[0]), in: String(parts[1])) else { return [] }
    if service.isHeadless {
      let endpoints = store.endpoints(service.metadata.name, in: service.metadata.namespace ?? "")
      return (endpoints?.subsets ?? []).flatMap { ($0.addresses ?? []).map(\.ip) }
    }
    return service.spec.clusterIP.map { [$0] } ?? []
  }
}
