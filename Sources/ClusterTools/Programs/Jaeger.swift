import ClusterModel

/// `jaeger services`, `jaeger traces [--service S] [--limit N] [--lookback 1h]` and `jaeger trace ID`:
/// what the Jaeger UI shows of the spans Istio's proxies reported.
struct Jaeger {
  let cluster: Cluster

  static let flags: [Flags.Spec] = [("service", nil, true), ("limit", nil, true), ("lookback", nil, true)]
  private static let lookbacks: [String: Int64] = [
    "5m": 300, "15m": 900, "30m": 1_800, "1h": 3_600, "2h": 7_200, "6h": 21_600, "12h": 43_200, "24h": 86_400,
  ]

  func run(_ arguments: [String]) -> ToolResult {
    let flags: Flags
    do {
      flags = try Flags(parsing: Array(arguments.dropFirst()), flags: Self.flags)
    } catch {
      return ToolResult(stderr: "jaeger: \(error.message)\n", exitCode: 2)
    }
    switch arguments.first {
    case "services":
      let names = Set(cluster.telemetry.spans.map(\.service)).sorted()
      return ToolResult(stdout: names.map { $0 + "\n" }.joined())
    case "traces":
      return traces(flags)
    case "trace":
      guard let id = flags.positional.first else { return usage() }
      return trace(id)
    default:
      return usage()
    }
  }

  private func usage() -> ToolResult {
    ToolResult(
      stderr: "Usage: jaeger services | jaeger traces [--service NAME] [--limit N] [--lookback 1h] | jaeger trace TRACE_ID\n",
      exitCode: 2)
  }

  /// The most recent traces first, as the search page lists them (default limit 20, lookback 1h).
  private func traces(_ flags: Flags) -> ToolResult {
    let limitText = flags.value("limit") ?? "20"
    guard let limit = Int(limitText), limit > 0 else {
      return ToolResult(stderr: "jaeger: invalid limit \"\(limitText)\"\n", exitCode: 2)
    }
    let lookbackText = flags.value("lookback") ?? "1h"
    guard let lookback = Self.lookbacks[lookbackText] else {
      return ToolResult(stderr: "jaeger: invalid lookback \"\(lookbackText)\"\n", exitCode: 2)
    }
    let since = cluster.now + SimDuration.seconds(-lookback)
    var traces = grouped().filter { $0.root.start >= since }
    if let service = flags.value("service") {
      guard Set(cluster.telemetry.spans.map(\.service)).contains(service) else {
        return ToolResult(stderr: "jaeger: service \"\(service)\" not found\n", exitCode: 1)
      }
      traces = traces.filter { $0.spans.contains { $0.service == service } }
    }
    let shown = traces.reversed().prefix(limit)
    let lines = ["TRACE ID\tROOT\tSPANS\tDURATION\tSTARTED"] + shown.map { trace in
      "\(trace.root.traceID)\t\(trace.root.service): \(trace.root.operation)\t\(trace.spans.count)\t\(Self.format(trace.root.duration))\t\(trace.root.start.rfc3339(fractionDigits: 3))"
    }
    return ToolResult(stdout: TabWriter(minWidth: 0, padding: 3).format(lines))
  }

  /// One trace: its spans as a tree, each with its start offset, duration and tags.
  private func trace(_ id: String) -> ToolResult {
    guard let trace = grouped().first(where: { $0.root.traceID == id }) else {
      return ToolResult(stderr: "jaeger: trace \(id) not found\n", exitCode: 1)
    }
    var text = "Trace \(id)  \(trace.root.service): \(trace.root.operation)  \(trace.spans.count) spans  \(Self.format(trace.root.duration))  started \(trace.root.start.rfc3339(fractionDigits: 3))\n"
    func render(_ span: Span, depth: Int) {
      let indent = String(repeating: "  ", count: depth)
      let offset = Self.format(span.start - trace.root.start)
      text += "\n\(indent)\(depth > 0 ? "└─ " : "")\(span.service)  \(span.operation)  +\(offset)  \(Self.format(span.duration))\n"
      for tag in span.tags { text += "\(indent)    \(tag.key)=\(tag.value)\n" }
      for child in trace.spans where child.parentID == span.spanID { render(child, depth: depth + 1) }
    }
    render(trace.root, depth: 0)
    return ToolResult(stdout: text)
  }

  /// Spans grouped by trace, in the order the traces started.
  private func grouped() -> [(root: Span, spans: [Span])] {
    var order: [String] = []
    var byTrace: [String: [Span]] = [:]
    for span in cluster.telemetry.spans {
      if byTrace[span.traceID] == nil { order.append(span.traceID) }
      byTrace[span.traceID, default: []].append(span)
    }
    return order.compactMap { id in
      guard let spans = byTrace[id], let root = spans.first(where: { $0.parentID == nil }) ?? spans.first else { return nil }
      return (root, spans)
    }
  }

  /// A duration as Jaeger prints it: `1.93ms`, `850μs`, `2.5s`.
  static func format(_ duration: SimDuration) -> String {
    let micros = Double(duration.nanoseconds) / 1_000
    if micros < 1_000 { return "\(Int(micros.rounded()))μs" }
    if micros < 1_000_000 { return (micros / 1_000).decimalText(digits: 2, trimmed: true) + "ms" }
    return (micros / 1_000_000).decimalText(digits: 2, trimmed: true) + "s"
  }
}
