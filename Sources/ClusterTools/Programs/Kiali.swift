import ClusterModel

/// `kiali graph [-n NS[,NS…]] [--duration 1m]`: Kiali's workload graph with service nodes, as text.
///
/// Kiali draws only what Istio's proxies report: a call is on the graph when a sidecar saw it, on the
/// client (source known) or the server (source `unknown`). Edge labels follow Kiali's: the request
/// rate with two decimals trimmed (`0.42rps`), the share of the source's requests when below 100 %,
/// the protocol, and a lock for mutual TLS.
struct Kiali {
  let cluster: Cluster
  let workstation: Workstation
  /// The language of the graph's heading; Kiali's own messages stay English.
  let language: Language

  static let flags: [Flags.Spec] = [("namespace", "n", true), ("duration", "d", true)]
  private static let durations: [String: Int64] = ["1m": 60, "5m": 300, "10m": 600, "30m": 1_800, "1h": 3_600]

  func run(_ arguments: [String]) -> ToolResult {
    guard arguments.first == "graph" else {
      return ToolResult(
        stderr: "Usage: kiali graph [-n NAMESPACE[,NAMESPACE…]] [--duration 1m|5m|10m|30m|1h]\n", exitCode: 2)
    }
    let flags: Flags
    do {
      flags = try Flags(parsing: Array(arguments.dropFirst()), flags: Self.flags)
    } catch {
      return ToolResult(stderr: "kiali: \(error.message)\n", exitCode: 2)
    }
    let durationText = flags.value("duration") ?? "1m"
    guard let seconds = Self.durations[durationText] else {
      return ToolResult(stderr: "kiali: invalid duration \"\(durationText)\": use 1m, 5m, 10m, 30m or 1h\n", exitCode: 2)
    }
    let namespaces = flags.all("namespace").flatMap { $0.split(separator: ",").map(String.init) }
    let selected = namespaces.isEmpty ? [workstation.currentProject] : namespaces
    if let missing = selected.first(where: { !cluster.store.hasNamespace($0) }) {
      return ToolResult(stderr: "kiali: namespace \"\(missing)\" is not accessible\n", exitCode: 1)
    }
    let edges = self.edges(in: Set(selected), since: cluster.now + SimDuration.seconds(-seconds))
    let header = language == .zh
      ? "\(selected.joined(separator: "、")) 的工作负载图，最近 \(durationText)，每秒请求数\n"
      : "Workload graph of \(selected.joined(separator: ", ")), last \(durationText), requests per second\n"
    guard !edges.isEmpty else {
      return ToolResult(stdout: header + "\nEmpty Graph\nThere is currently no graph available for namespace(s) \(selected.joined(separator: ", ")). This could either mean there is no service mesh available for this namespace or that nothing has accessed the service mesh.\n")
    }
    var totals: [String: Int] = [:]
    for edge in edges { totals[edge.key.source, default: 0] += edge.value.requests }
    let depth = Self.depths(of: Array(edges.keys))
    let ordered = edges.sorted {
      (depth[$0.key.source] ?? 0, $0.key.source, $0.key.target) < (depth[$1.key.source] ?? 0, $1.key.source, $1.key.target)
    }
    let lines = ordered.map { edge -> String in
      var label = ["grpc", Self.rate(Double(edge.value.requests) / Double(seconds))]
      let total = totals[edge.key.source] ?? edge.value.requests
      if edge.value.requests < total { label.append(Self.percent(100 * Double(edge.value.requests) / Double(total))) }
      if edge.value.errors > 0 { label.append(Self.percent(100 * Double(edge.value.errors) / Double(edge.value.requests)) + "err") }
      if edge.value.mtls == edge.value.requests { label.append("🔒") }
      return "\(edge.key.source) ── \(label.joined(separator: " ")) ──▶ \(edge.key.target)"
    }
    return ToolResult(stdout: header + "\n" + lines.joined(separator: "\n") + "\n")
  }

  private struct EdgeKey: Hashable {
    var source: String
    var target: String
  }

  private struct EdgeCounts {
    var requests = 0
    var errors = 0
    var mtls = 0

    mutating func add(failed: Bool, mtls secured: Bool) {
      requests += 1
      if failed { errors += 1 }
      if secured { mtls += 1 }
    }
  }

  /// Edges from callers to services and from services to the workloads that served, for calls a proxy reported.
  private func edges(in namespaces: Set<String>, since start: SimTime) -> [EdgeKey: EdgeCounts] {
    var edges: [EdgeKey: EdgeCounts] = [:]
    for call in cluster.telemetry.calls where call.finished >= start {
      guard call.upstream != nil || call.serverSidecar else { continue }
      let source = call.upstream != nil ? "\(cluster.workload(of: call.client)) (\(call.client.namespace))" : "unknown"
      let dialled = call.connection.flatMap { cluster.telemetry.connection($0)?.kubeProxy?.service }
      // A call the sidecar found no cluster for (`NC`) reached no service.
      let service = call.upstream.flatMap { $0.cluster == "-" ? nil : Self.serviceNode(fromCluster: $0.cluster) }
        ?? dialled.map(Self.serviceNode(fromReference:)) ?? "unknown (svc)"
      let touches = namespaces.contains(call.client.namespace) || call.server.map { namespaces.contains($0.namespace) } ?? false
      guard touches else { continue }
      let failed = call.status != .ok
      let mtls = call.upstream?.mtls ?? false
      edges[EdgeKey(source: source, target: service), default: EdgeCounts()].add(failed: failed, mtls: mtls)
      if let server = call.server {
        let target = "\(cluster.workload(of: server)) (\(server.namespace))"
        edges[EdgeKey(source: service, target: target), default: EdgeCounts()].add(failed: failed, mtls: mtls)
      }
    }
    return edges
  }

  /// How far each node is from a node nothing calls, so the graph reads from callers to servers.
  private static func depths(of edges: [EdgeKey]) -> [String: Int] {
    var depth: [String: Int] = [:]
    let targets = Set(edges.map(\.target))
    var frontier = Set(edges.map(\.source)).subtracting(targets)
    var level = 0
    while !frontier.isEmpty && level <= edges.count {
      for node in frontier where depth[node] == nil { depth[node] = level }
      frontier = Set(edges.filter { frontier.contains($0.source) }.map(\.target)).filter { depth[$0] == nil }
      level += 1
    }
    return depth
  }

  /// The service node of an Envoy cluster: `name (svc, namespace)` for
  /// `outbound|9000|v1|name.namespace.svc.cluster.local`, or the cluster itself (`PassthroughCluster`).
  private static func serviceNode(fromCluster name: String) -> String {
    let host = name.split(separator: "|", omittingEmptySubsequences: false).last.map(String.init) ?? name
    let labels = host.split(separator: ".")
    return labels.count >= 2 ? "\(labels[0]) (svc, \(labels[1]))" : name
  }

  /// `name (svc, namespace)` from `namespace/name`.
  private static func serviceNode(fromReference reference: String) -> String {
    let parts = reference.split(separator: "/", maxSplits: 1)
    return parts.count == 2 ? "\(parts[1]) (svc, \(parts[0]))" : "\(reference) (svc)"
  }

  /// `toFixed(2)` without trailing zeros, then `rps`.
  static func rate(_ value: Double) -> String { value.decimalText(digits: 2, trimmed: true) + "rps" }

  /// `toFixed(1)` without trailing zeros, then `%`.
  static func percent(_ value: Double) -> String { value.decimalText(digits: 1, trimmed: true) + "%" }
}
