import ClusterModel

/// `istioctl proxy-config cluster|endpoint|route POD[.NAMESPACE]` (alias `pc`), as Istio 1.18 prints them.
struct Istioctl {
  let cluster: Cluster
  let workstation: Workstation

  static let flags: [Flags.Spec] = [
    ("namespace", "n", true), ("fqdn", nil, true), ("port", nil, true), ("subset", nil, true), ("direction", nil, true),
    ("cluster", nil, true), ("name", nil, true), ("output", "o", true),
  ]

  /// Istio 1.18's commands that the lab does not model, as a learner may type them.
  static let unmodelledCommands: Set<String> = [
    "proxy-status", "ps", "analyze", "install", "uninstall", "verify-install", "version", "dashboard", "dash", "d", "kube-inject",
    "manifest", "operator", "profile", "tag", "upgrade", "validate", "experimental", "x", "admin", "bug-report", "create-remote-secret",
  ]

  /// `proxy-config`'s other commands in Istio 1.18, with their aliases.
  static let unmodelledConfigKinds: Set<String> = [
    "all", "a", "bootstrap", "b", "ecds", "listener", "listeners", "l", "log", "o", "rootca-compare", "secret", "secrets", "s",
  ]

  func run(_ arguments: [String]) -> ToolResult {
    guard let command = arguments.first, ["proxy-config", "pc"].contains(command) else {
      let verb = arguments.first ?? ""
      if Self.unmodelledCommands.contains(verb) {
        return .notModelled(verb, in: "istioctl", "it has proxy-config (pc)")
      }
      return verb.isEmpty
        ? ToolResult(stdout: "Istio configuration command line utility.\n\nUsage:\n  istioctl [command]\n\nAvailable Commands:\n  proxy-config Retrieve information about proxy configuration from Envoy [kube only]\n")
        : failure("unknown command \"\(verb)\" for \"istioctl\"\nRun 'istioctl --help' for usage.")
    }
    let flags: Flags
    do {
      flags = try Flags(parsing: Array(arguments.dropFirst()), flags: Self.flags)
    } catch {
      return failure(error.message)
    }
    guard let kind = flags.positional.first else {
      return failure("a type must be specified: cluster, endpoint or route")
    }
    if Self.unmodelledConfigKinds.contains(kind) {
      return .notModelled("proxy-config \(kind)", in: "istioctl", "it has cluster, endpoint and route")
    }
    guard flags.positional.count == 2 else {
      return failure("pod name or --file is required")
    }
    let pod: Pod
    switch resolve(flags.positional[1], namespace: flags.value("namespace") ?? workstation.currentProject) {
    case .success(let found): pod = found
    case .failure(let error): return failure(error.message)
    }
    let name = "\(pod.metadata.name).\(pod.metadata.namespace ?? "")"
    guard pod.hasSidecar, pod.isReady else {
      let port = 40_000 + Int(pod.metadata.name.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) % 20_000 })
      let path = kind.hasPrefix("e") ? "clusters?format=json" : "config_dump"
      return failure("failed to execute command on \(name) sidecar: failure running port forward process: Get \"http://localhost:\(port)/\(path)\": EOF")
    }
    switch flags.value("output") ?? "short" {
    case "short": break
    case "json", "yaml":
      return .notModelled("proxy-config -o \(flags.value("output") ?? "")", in: "istioctl", "it prints the short tables")
    case let format: return failure("output format \"\(format)\" not supported")
    }
    switch kind {
    case "cluster", "clusters", "c": return clusters(of: pod, flags)
    case "endpoint", "endpoints", "ep": return endpoints(of: pod, flags)
    case "route", "routes", "r": return routes(of: pod, flags)
    default: return failure("unknown command \"\(kind)\" for \"istioctl proxy-config\"")
    }
  }

  private func failure(_ message: String) -> ToolResult {
    ToolResult(stderr: "Error: \(message)\n", exitCode: 1)
  }

  /// `POD[.NAMESPACE]` or `deployment/NAME[.NAMESPACE]` (its first ready pod).
  private func resolve(_ target: String, namespace: String) -> Result<Pod, KubectlError> {
    var name = target
    var kind = "pod"
    if let slash = name.firstIndex(of: "/") {
      kind = String(name[..<slash])
      name = String(name[name.index(after: slash)...])
    }
    var podNamespace = namespace
    if let dot = name.firstIndex(of: ".") {
      podNamespace = String(name[name.index(after: dot)...])
      name = String(name[..<dot])
    }
    switch kind {
    case "pod", "pods", "po":
      guard let pod = cluster.store.pod(PodRef(namespace: podNamespace, name: name)) else {
        return .failure(KubectlError("pods \"\(name)\" not found"))
      }
      return .success(pod)
    case "deployment", "deploy", "deployments":
      guard let deployment = cluster.store[ObjectKey(kind: .deployment, namespace: podNamespace, name: name)],
        let pod = Kubectl.pods(selectedBy: deployment, in: cluster)?.first(where: \.isReady)
      else { return .failure(KubectlError("deployments.apps \"\(name)\" not found")) }
      return .success(pod)
    default:
      return .failure(KubectlError("unsupported resource type \"\(kind)\""))
    }
  }

  private func clusters(of pod: Pod, _ flags: Flags) -> ToolResult {
    typealias Row = (fqdn: String, port: String, subset: String, direction: String, type: String, rule: String)
    var rows: [Row] = cluster.proxyClusters(of: pod).map { entry in
      let parts = entry.name.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
      guard parts.count == 4 else { return (entry.name, "-", "-", "-", entry.type, entry.destinationRule ?? "") }
      return (parts[3], parts[1], parts[2].isEmpty ? "-" : parts[2], parts[0], entry.type, entry.destinationRule ?? "")
    }
    if let fqdn = flags.value("fqdn") { rows = rows.filter { $0.fqdn.contains(fqdn) } }
    if let port = flags.value("port") { rows = rows.filter { $0.port == port } }
    if let subset = flags.value("subset") { rows = rows.filter { $0.subset == subset } }
    if let direction = flags.value("direction") { rows = rows.filter { $0.direction == direction } }
    rows.sort { ($0.fqdn, $0.subset, Int($0.port) ?? 0, $0.direction) < ($1.fqdn, $1.subset, Int($1.port) ?? 0, $1.direction) }
    let lines = ["SERVICE FQDN\tPORT\tSUBSET\tDIRECTION\tTYPE\tDESTINATION RULE"]
      + rows.map { "\($0.fqdn)\t\($0.port)\t\($0.subset)\t\($0.direction)\t\($0.type)\t\($0.rule)" }
    return ToolResult(stdout: TabWriter(minWidth: 0, padding: 5).format(lines))
  }

  private func endpoints(of pod: Pod, _ flags: Flags) -> ToolResult {
    var rows = cluster.proxyEndpoints(of: pod)
    if let name = flags.value("cluster") { rows = rows.filter { $0.cluster == name } }
    rows.sort { ($0.address, $0.cluster) < ($1.address, $1.cluster) }
    let lines = ["ENDPOINT\tSTATUS\tOUTLIER CHECK\tCLUSTER"] + rows.map { "\($0.address)\t\($0.status)\t\($0.ejected ? "FAILED" : "OK")\t\($0.cluster)" }
    return ToolResult(stdout: TabWriter(minWidth: 0, padding: 5).format(lines))
  }

  private func routes(of pod: Pod, _ flags: Flags) -> ToolResult {
    var rows = cluster.proxyRoutes(of: pod)
    if let name = flags.value("name") { rows = rows.filter { $0.name == name } }
    let numbered = rows.filter { !$0.name.isEmpty }.sorted { (Int($0.name) ?? 0, $0.virtualHost) < (Int($1.name) ?? 0, $1.virtualHost) }
    rows = numbered + rows.filter(\.name.isEmpty)
    let lines = ["NAME\tVHOST NAME\tDOMAINS\tMATCH\tVIRTUAL SERVICE"]
      + rows.map { "\($0.name)\t\($0.virtualHost)\t\(Self.describe($0.domains))\t\($0.match)\t\($0.virtualService ?? "")" }
    return ToolResult(stdout: TabWriter(minWidth: 0, padding: 5).format(lines))
  }

  /// istioctl's short form of a virtual host's domains: no `host:port` forms, no `.svc` or
  /// `.svc.cluster.local` variants of a shorter name present, the first two, then `+ N more...`.
  static func describe(_ domains: [String]) -> String {
    if domains.count == 1 { return domains[0] }
    let plain = domains.filter { !$0.contains(":") }
    let kept = plain.filter { domain in
      for suffix in [".svc.cluster.local", ".svc"] where domain.hasSuffix(suffix) {
        if plain.contains(String(domain.dropLast(suffix.count))) { return false }
      }
      return true
    }
    let shown = kept.prefix(2).joined(separator: ", ")
    return kept.count > 2 ? "\(shown) + \(kept.count - 2) more..." : shown
  }
}
