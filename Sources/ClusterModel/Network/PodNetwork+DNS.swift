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
    let dot = UInt8(ascii: ".")
    let rooted = name.utf8.last == dot
    let absolute = rooted ? String(decoding: name.utf8.dropLast(), as: UTF8.self) : name
    let dots = absolute.utf8.count { $0 == dot }
    let domain = Cluster.clusterDomain
    let search = ["\(namespace).svc.\(domain)", "svc.\(domain)", domain]
    var candidates = rooted ? [absolute] : search.map { "\(absolute).\($0)" }
    if !rooted {
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
    let suffix = ".svc.\(Cluster.clusterDomain)".utf8
    guard fqdn.utf8.count >= suffix.count, fqdn.utf8.suffix(suffix.count).elementsEqual(suffix) else { return [] }
    let parts = fqdn.utf8.dropLast(suffix.count).split(separator: UInt8(ascii: ".")).map { String(decoding: $0, as: UTF8.self) }
    guard parts.count == 2, let service = store.service(parts[0], in: parts[1]) else { return [] }
    if service.isHeadless {
      let endpoints = store.endpoints(service.metadata.name, in: service.metadata.namespace ?? "")
      return (endpoints?.subsets ?? []).flatMap { ($0.addresses ?? []).map(\.ip) }
    }
    return service.spec.clusterIP.map { [$0] } ?? []
  }
}
