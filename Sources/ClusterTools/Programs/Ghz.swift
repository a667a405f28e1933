import ClusterModel
import Foundation
import X509

/// `ghz` v0.120.0 on the learner's workstation: a unary gRPC load through the router and the ingress
/// gateway, with kingpin's flags (`--total=200`, `-n 200`, `-n200`), `.proto` sources, and its summary.
///
/// Workers (`-c`) share connections (`--connections`) and take calls from one count (`-n`) or for a time
/// (`-z`); the gateway's Envoy balances each call on its own. The summary's figures are the calls the model
/// carried, in ghz's layout; its status and error lines, which ghz orders as a Go map iterates, come by code
/// and by count.
struct Ghz {
  var invocation: Invocation

  static let version = "0.120.0"
  static let userAgent = "grpc-go/1.64.0"

  /// Valued flags, by long name, with their short letters.
  static let valued: [String: Character?] = [
    "proto": nil, "call": nil, "data": "d", "total": "n", "concurrency": "c", "connections": nil, "duration": "z",
    "timeout": "t", "connect-timeout": nil, "cacert": nil, "cert": nil, "key": nil, "cname": nil, "authority": nil,
    "format": "O", "name": nil, "import-paths": "i", "rps": "r", "protoset": nil, "metadata": "m", "lb-strategy": nil,
    "max-duration": "x", "output": "o",
  ]
  static let booleans: [String: Character?] = ["insecure": nil, "skipTLS": nil, "help": "h", "version": "v"]
  /// Flags the model does not carry, refused in one line.
  static let unmodelled: Set<String> = ["protoset", "metadata", "lb-strategy", "max-duration", "output"]

  /// The most a load may ask of the model: a learner's command stays quick.
  static let maximumCalls = Cluster.workstationLoadLimit
  static let maximumWorkers = 1_000

  /// What the flags say.
  private struct Options {
    var values: [String: String] = [:]
    var flags: Set<String> = []
    var host: String?
  }

  mutating func run(_ arguments: [String]) -> ToolResult {
    let options: Options
    switch Self.parse(arguments) {
    case .success(let parsed): options = parsed
    case .failure(let reason): return Self.fatal(reason.text + ", try --help")
    }
    if options.flags.contains("help") { return ToolResult(stderr: Self.usage) }
    if options.flags.contains("version") { return ToolResult(stderr: Self.version + "\n") }
    var numbers: [String: Int] = [:]
    for (flag, fallback) in [("total", "200"), ("concurrency", "50"), ("connections", "1"), ("rps", "0")] {
      switch Self.unsigned(options.values[flag] ?? fallback) {
      case .success(let number): numbers[flag] = number
      case .failure(let reason): return Self.fatal(reason.text + ", try --help")
      }
    }
    var durations: [String: SimDuration] = [:]
    for (flag, fallback) in [("duration", "0"), ("timeout", "20s"), ("connect-timeout", "10s")] {
      let text = options.values[flag] ?? fallback
      guard let duration = GoFormat.parseDuration(text) else { return Self.fatal("time: invalid duration \(text.goQuoted), try --help") }
      durations[flag] = duration
    }
    if let format = options.values["format"],
      !["summary", "csv", "json", "pretty", "html", "influx-summary", "influx-details", "prometheus"].contains(format)
    {
      return Self.fatal("enum value must be one of summary,csv,json,pretty,html,influx-summary,influx-details,prometheus, got '\(format)', try --help")
    }
    // The configuration: `-d` is JSON, then the runner's own checks.
    let data = options.values["data"] ?? ""
    if data != "@", !data.trimmingCharacters(in: .whitespaces).isEmpty, let error = Self.unmarshalError(data) {
      return Self.fatal("Error unmarshaling data '\(data)': \(error)")
    }
    if let flag = Self.unmodelled.sorted().first(where: { options.values[$0] != nil }) {
      return ToolResult(stderr: "grpclab: ghz: --\(flag) is not modelled here\n", exitCode: 2)
    }
    if options.values["format"].map({ $0 != "summary" }) == true {
      return ToolResult(stderr: "grpclab: ghz: only the summary format is modelled here\n", exitCode: 2)
    }
    let (total, concurrency, rate) = (numbers["total"] ?? 200, numbers["concurrency"] ?? 50, numbers["rps"] ?? 0)
    let connections = max(numbers["connections"] ?? 1, 1)
    if connections > concurrency { return Self.failure("number of connections cannot be greater than concurrency") }
    guard let symbol = options.values["call"], !symbol.isEmpty else { return Self.failure("call required") }
    guard let host = options.host, !host.isEmpty else { return Self.failure("host required") }
    // The client's TLS files are read whether or not the connection uses them.
    let cert = options.values["cert"]
    let tls: (identity: TLSIdentity?, roots: [Certificate]?)
    switch invocation.clientTLS(
      cert: cert, key: cert == nil ? nil : options.values["key"] ?? "", cacert: options.flags.contains("skipTLS") ? nil : options.values["cacert"])
    {
    case .success(let files): tls = files
    case .failure(let reason): return Self.failure(reason.text)
    }
    let duration = durations["duration"].flatMap { $0.nanoseconds > 0 ? $0 : nil }
    let perSecond = rate > 0 ? Double(rate) : Double(concurrency) * 2_000
    // Without a duration, `-n 0` has no end.
    let expected = duration.map { perSecond * Double($0.nanoseconds) / 1e9 } ?? (total == 0 ? .infinity : Double(total))
    guard concurrency <= Self.maximumWorkers, expected <= Double(Self.maximumCalls) else {
      return ToolResult(
        stderr: "grpclab: a ghz load here runs at most \(Self.maximumWorkers) workers (-c) and \(Self.maximumCalls) calls; give -n, a smaller one, fewer workers or a shorter -z\n",
        exitCode: 1)
    }
    guard let proto = options.values["proto"] else { return Self.failure("server does not support the reflection API") }
    let file: ProtoFile
    switch loadProto(proto, importPaths: (options.values["import-paths"] ?? "").split(separator: ",").map(String.init)) {
    case .success(let loaded): file = loaded
    case .failure(let reason): return Self.failure(reason.text)
    }
    let method: (path: String, input: String)
    switch Self.method(symbol, in: file) {
    case .success(let found): method = found
    case .failure(let reason): return Self.failure(reason.text)
    }
    let request = data == "@" ? invocation.stdin ?? "" : data
    if !request.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, let error = Self.unmarshalError(request) {
      return Self.failure(error)
    }
    let name: String
    switch ProtoFile.requestFields(request, message: file.message(named: method.input), type: method.input) {
    case .success(let fields): name = fields["name"] ?? ""
    case .failure(let reason): return Self.failure(reason.text)
    }
    // A target without a port fails every call, as grpc-go dials it.
    let colon = host.lastIndex(of: ":")
    let port = colon.flatMap { Int(host[host.index(after: $0)...]) } ?? 0
    var call = WorkstationCall(
      host: colon.map { String(host[..<$0]) } ?? host, port: port, plaintext: options.flags.contains("insecure"),
      insecure: options.flags.contains("skipTLS"), roots: tls.roots, identity: tls.identity, authority: options.values["authority"],
      path: method.path, name: name, connectTimeout: durations["connect-timeout"] ?? .seconds(10), userAgent: Self.userAgent)
    if !call.plaintext, let serverName = options.values["cname"] { call.authority = serverName }
    var load = WorkstationLoad(
      call: call, total: duration == nil ? total : nil, duration: duration, concurrency: max(concurrency, 1),
      connections: connections, timeout: Self.callTimeout(durations["timeout"]), rate: rate > 0 ? min(rate, 1_000_000_000) : nil)
    if port == 0 { load.dialError = "dial tcp: address \(host): missing port in address" }
    let report = invocation.cluster.run(load)
    let testName = options.values["name"]?.trimmingCharacters(in: .whitespaces)
    return ToolResult(stdout: Self.summary(report, name: testName))
  }

  /// Reads `--proto` as ghz does: its own folder and the working directory join the import paths, and the
  /// file is named by its base name.
  private mutating func loadProto(_ path: String, importPaths: [String]) -> Result<ProtoFile, Grpcurl.Reason> {
    let folder = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
    let base = path.split(separator: "/").last.map(String.init) ?? path
    let result = invocation.loadProto(base, importPaths: importPaths + [folder.isEmpty ? "/" : folder, "."])
    let prefix = "could not parse given files: "
    return result.mapError { reason in Grpcurl.Reason(reason.text.hasPrefix(prefix) ? String(reason.text.dropFirst(prefix.count)) : reason.text) }
  }

  /// What Go's `json.Unmarshal` says of `text` as one JSON value; nil when it is one.
  private static func unmarshalError(_ text: String) -> String? {
    let stream = GoJSONStream(text)
    if stream.values.isEmpty && stream.error == nil || stream.error == "unexpected EOF" { return "unexpected end of JSON input" }
    if let error = stream.error { return error }
    guard stream.values.count > 1 else { return nil }
    let rest = text.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }.dropFirst(stream.values[0].count)
      .drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    return "invalid character '\(rest.first.map(String.init) ?? "")' after top-level value"
  }

  // MARK: Flags

  /// kingpin's reading of the command line: long flags with `=` or a following value, short flags with
  /// their value attached or following, `--no-` before a boolean, and one positional host.
  private static func parse(_ arguments: [String]) -> Result<Options, Grpcurl.Reason> {
    var options = Options()
    var index = 0
    var flagsEnded = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if flagsEnded || !argument.hasPrefix("-") || argument == "-" {
        guard options.host == nil else { return .failure(Grpcurl.Reason("unexpected \(argument)")) }
        options.host = argument
        continue
      }
      if argument == "--" {
        flagsEnded = true
        continue
      }
      let name: String
      var inline: String?
      if argument.hasPrefix("--") {
        let body = argument.dropFirst(2)
        name = String(body.prefix { $0 != "=" })
        if body.contains("=") { inline = String(body.drop { $0 != "=" }.dropFirst()) }
        if booleans[name] != nil || (name.hasPrefix("no-") && booleans[String(name.dropFirst(3))] != nil) {
          guard inline == nil else { return .failure(Grpcurl.Reason("unexpected \(argument)")) }
          if name.hasPrefix("no-") { options.flags.remove(String(name.dropFirst(3))) } else { options.flags.insert(name) }
          continue
        }
        guard valued[name] != nil else { return .failure(Grpcurl.Reason("unknown long flag '--\(name)'")) }
      } else {
        let letter = argument.dropFirst().first ?? "-"
        if let flag = booleans.first(where: { $0.value == letter })?.key {
          guard argument.count == 2 else { return .failure(Grpcurl.Reason("unknown short flag '\(argument.prefix(2))'")) }
          options.flags.insert(flag)
          continue
        }
        guard let flag = valued.first(where: { $0.value == letter })?.key else {
          return .failure(Grpcurl.Reason("unknown short flag '-\(letter)'"))
        }
        name = flag
        if argument.count > 2 { inline = String(argument.dropFirst(2)) }
      }
      guard options.values[name] == nil else { return .failure(Grpcurl.Reason("flag '\(name)' cannot be repeated")) }
      if let inline {
        options.values[name] = inline
      } else {
        guard index < arguments.count else { return .failure(Grpcurl.Reason("expected argument for flag '\(argument)'")) }
        options.values[name] = arguments[index]
        index += 1
      }
    }
    return .success(options)
  }

  /// How long a call waits: `-t`, where 0 is for ever; the lab waits at most an hour of simulated time, as a
  /// learner would stop ghz long before.
  private static func callTimeout(_ given: SimDuration?) -> SimDuration {
    guard let given, given.nanoseconds > 0 else { return given == nil ? .seconds(20) : .seconds(3_600) }
    return min(given, .seconds(3_600))
  }

  /// A `uint` flag, as kingpin reads it with `strconv.ParseUint(text, 0, 64)`: decimal, `0x`, `0o` or a
  /// leading `0` for octal, `0b`, and underscores between digits.
  private static func unsigned(_ text: String) -> Result<Int, Grpcurl.Reason> {
    let invalid = Grpcurl.Reason("strconv.ParseUint: parsing \(text.goQuoted): invalid syntax")
    var digits = Substring(text)
    var radix = 10
    for (prefix, base) in [("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2)] where digits.hasPrefix(prefix) {
      (digits, radix) = (digits.dropFirst(2), base)
    }
    if radix == 10, digits.count > 1, digits.hasPrefix("0") { (digits, radix) = (digits.dropFirst(), 8) }
    guard !digits.isEmpty, !digits.hasPrefix("_"), !digits.hasSuffix("_"), !digits.contains("__") else { return .failure(invalid) }
    let bare = digits.filter { $0 != "_" }
    guard bare.allSatisfy({ $0.isHexDigit && Int(String($0), radix: 16).map { $0 < radix } == true }) else { return .failure(invalid) }
    guard let value = UInt64(bare, radix: radix) else {
      return .failure(Grpcurl.Reason("strconv.ParseUint: parsing \(text.goQuoted): value out of range"))
    }
    return .success(Int(clamping: value))
  }

  /// The method `--call` names (`package.Service.Method` or `package.Service/Method`), as ghz's protodesc
  /// finds it: its `:path` and its input type.
  private static func method(_ symbol: String, in file: ProtoFile) -> Result<(path: String, input: String), Grpcurl.Reason> {
    let trimmed = symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol
    guard !trimmed.isEmpty else { return .failure(Grpcurl.Reason("no method name specified")) }
    let invalid = Grpcurl.Reason("method name must be package.Service.Method or package.Service/Method: \(trimmed.goQuoted)")
    let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
    let service: String
    let name: String
    switch parts.count {
    case 1:
      guard let dot = trimmed.lastIndex(of: ".") else { return .failure(invalid) }
      (service, name) = (String(trimmed[..<dot]), String(trimmed[trimmed.index(after: dot)...]))
    case 2: (service, name) = (String(parts[0]), String(parts[1]))
    default: return .failure(invalid)
    }
    guard let found = file.services.first(where: { file.fullName($0.name) == service }) else {
      return .failure(Grpcurl.Reason("cannot find service \(service.goQuoted)"))
    }
    guard let method = found.methods.first(where: { $0.name == name }) else {
      return .failure(Grpcurl.Reason("service \(service.goQuoted) does not include a method named \(name.goQuoted)"))
    }
    return .success(("/\(service)/\(name)", file.qualify(method.input)))
  }

  /// kingpin's fatal error: `ghz: error: …`, exit 1.
  private static func fatal(_ message: String) -> ToolResult {
    ToolResult(stderr: "ghz: error: \(message)\n", exitCode: 1)
  }

  /// An error ghz's runner returns before any call: printed alone, exit 1.
  private static func failure(_ message: String) -> ToolResult {
    ToolResult(stderr: message + "\n", exitCode: 1)
  }

  static let usage = """
    usage: ghz [<flags>] [<host>]

    Flags:
      -h, --help                   Show context-sensitive help (also try --help-long and --help-man).
          --skipTLS                Skip TLS client verification of the server's certificate chain and host name.
          --insecure               Use plaintext and insecure connection.
          --cacert=                File containing trusted root certificates for verifying the server.
          --cert=                  File containing client certificate (public key), to present to the server. Must also provide -key option.
          --key=                   File containing client private key, to present to the server. Must also provide -cert option.
          --cname=                 Server name override when validating TLS certificate - useful for self signed certs.
          --call=                  A fully-qualified method name in 'package.Service/method' or 'package.Service.Method' format.
          --proto=                 The Protocol Buffer .proto file.
      -i, --import-paths=          Comma separated list of proto import paths. The current working directory and the directory of the protocol buffer file are automatically added to the import list.
      -c, --concurrency=50         Number of request workers to run concurrently for const concurrency schedule. Default is 50.
      -n, --total=200              Number of requests to run. Default is 200.
      -t, --timeout=20s            Timeout for each request. Default is 20s, use 0 for infinite.
      -r, --rps=0                  Requests per second (RPS) rate limit for constant load schedule. Default is no rate limit.
      -z, --duration=0             Duration of application to send requests. When duration is reached, application stops and exits. If duration is specified, n is ignored. Examples: -z 10s -z 3m.
      -d, --data=                  The call data as stringified JSON. If the value is '@' then the request contents are read from stdin.
          --connections=1          Number of connections to use. Concurrency is distributed evenly among all the connections. Default is 1.
          --connect-timeout=10s    Connection timeout for the initial connection dial. Default is 10s.
      -O, --format=summary         Output format. One of: summary, csv, json, pretty, html, influx-summary, influx-details, prometheus. Default is a summary.
          --name=                  User specified name for the test.
          --authority=             Value to be used as the :authority pseudo-header. Only works if -insecure is used.
      -v, --version                Show application version.

    Args:
      [<host>]  Host and port to test.

    """

  // MARK: Summary

  /// ghz's default output: the summary, the response-time histogram, the latency distribution, and the
  /// status codes and errors.
  static func summary(_ report: WorkstationLoadReport, name: String?) -> String {
    let seconds = report.calls.map { Self.seconds($0.duration) }
    let ok = zip(report.calls, seconds).filter { $0.0.status == .ok }.map(\.1).sorted()
    let total = report.finished - report.started
    let count = report.calls.count
    let average = count == 0 ? 0 : seconds.reduce(0, +) / Double(count)
    let rps = count == 0 || total.nanoseconds <= 0 ? 0 : Double(count) / Self.seconds(total)
    var text = "\nSummary:\n"
    if let name, !name.isEmpty { text += "  Name:\t\t\(name)\n" }
    text += "  Count:\t\(count)\n"
    text += "  Total:\t\(nanoUnit(total.nanoseconds))\n"
    text += "  Slowest:\t\(nanoUnit(Self.duration(ok.last ?? 0)))\n"
    text += "  Fastest:\t\(nanoUnit(Self.duration(ok.first ?? 0)))\n"
    text += "  Average:\t\(nanoUnit(Self.duration(average)))\n"
    text += "  Requests/sec:\t\(GoFormat.f(rps, decimals: 2))\n"
    text += "\nResponse time histogram:\n" + histogram(ok) + "\nLatency distribution:"
    for (percentage, latency) in latencies(ok) { text += "\n  \(percentage) % in \(nanoUnit(latency)) " }
    text += "\n\n"
    var statuses: [GRPCStatusCode: Int] = [:]
    var errors: [String: Int] = [:]
    for call in report.calls {
      statuses[call.status, default: 0] += 1
      if call.status != .ok { errors["rpc error: code = \(call.status.goName) desc = \(call.message)", default: 0] += 1 }
    }
    if !statuses.isEmpty {
      text += "Status code distribution:\n"
        + tabulate(statuses.sorted { $0.key.rawValue < $1.key.rawValue }.map { ["  [\($0.key.goName)]", "\($0.value) responses"] })
    }
    text += "\n"
    if !errors.isEmpty {
      text += "Error distribution:\n" + tabulate(errors.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ["  [\($0.value)]", $0.key] })
    }
    return text + "\n"
  }

  /// A duration in seconds, as Go's `Duration.Seconds` gives it.
  private static func seconds(_ duration: SimDuration) -> Double {
    let nanoseconds = duration.nanoseconds
    return Double(nanoseconds / 1_000_000_000) + Double(nanoseconds % 1_000_000_000) / 1e9
  }

  /// Seconds back to nanoseconds, as `time.Duration(s * float64(time.Second))` truncates them.
  private static func duration(_ seconds: Double) -> Int64 {
    Int64(seconds * 1e9)
  }

  /// ghz's `formatNanoUnit`: `850 ns` below 10 µs, then `1.23 ms`, then `2.03 s`.
  private static func nanoUnit(_ nanoseconds: Int64) -> String {
    if nanoseconds < 10_000 { return "\(nanoseconds) ns" }
    let milliseconds = Double(nanoseconds) / 1_000_000
    if milliseconds < 1_000 { return GoFormat.f(milliseconds, decimals: 2) + " ms" }
    return GoFormat.f(milliseconds / 1_000, decimals: 2) + " s"
  }

  /// Eleven buckets from the fastest to the slowest OK call, each holding the calls up to its mark, with
  /// bars of `∎` scaled to 40 for the fullest.
  private static func histogram(_ latencies: [Double]) -> String {
    guard let fastest = latencies.first, let slowest = latencies.last else { return "" }
    let step = (slowest - fastest) / 10
    let marks = (0..<10).map { fastest + step * Double($0) } + [slowest]
    var counts = Array(repeating: 0, count: marks.count)
    var bucket = 0
    var index = 0
    while index < latencies.count {
      if latencies[index] <= marks[bucket] {
        counts[bucket] += 1
        index += 1
      } else if bucket < marks.count - 1 {
        bucket += 1
      } else {
        break
      }
    }
    let most = counts.max() ?? 0
    let markTexts = marks.map { GoFormat.f($0 * 1000, decimals: 3) }
    let markWidth = GoFormat.f((marks.max() ?? 0) * 1000, decimals: 3).count
    let countWidth = String(most).count
    return zip(markTexts, counts).map { mark, count in
      let bar = most > 0 ? (count * 40 + most / 2) / most : 0
      return "  \(mark)\(String(repeating: " ", count: max(markWidth - mark.count, 0))) [\(count)]"
        + String(repeating: " ", count: countWidth - String(count).count) + " |" + String(repeating: "∎", count: bar) + "\n"
    }.joined()
  }

  /// The 10th to 99th percentiles of the OK calls, as ghz picks them from the sorted latencies.
  private static func latencies(_ sorted: [Double]) -> [(Int, Int64)] {
    guard !sorted.isEmpty else { return [] }
    return [10, 25, 50, 75, 90, 95, 99].compactMap { percentage in
      let position = Double(percentage) / 100 * Double(sorted.count)
      var index = Int(position)
      if position == Double(index) { index -= 1 }
      let value = sorted[max(index, 0)]
      return value > 0 ? (percentage, duration(value)) : nil
    }
  }

  /// Lines of tab-terminated cells as Go's `tabwriter` aligns them with a padding of three: every cell is
  /// padded to its column's widest cell and three more spaces.
  private static func tabulate(_ rows: [[String]]) -> String {
    let columns = rows.map(\.count).max() ?? 0
    let widths = (0..<columns).map { column in rows.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }
    return rows.map { row in
      row.enumerated().map { column, cell in cell + String(repeating: " ", count: widths[column] - cell.count + 3) }.joined() + "\n"
    }.joined()
  }
}
