import ClusterModel

/// fortio 1.60 in its container (`fortio/fortio`): `load URL` (HTTP/1.1 `GET`s) and `load -grpc` (health
/// checks, or `-ping`) with `-c`, `-n`, `-qps`, `-t`, `-p`, `-r` and `-loglevel`; `curl URL`; `version` and
/// `help`. As fortio does, it writes everything but a fetched reply's body to stderr, and logs as JSON lines
/// because `exec` gives it no terminal.
struct Fortio {
  var cluster: Cluster
  let pod: PodRef

  init(cluster: Cluster, pod: PodRef) {
    self.cluster = cluster
    self.pod = pod
  }

  private static let flags = GoFlags(
    valued: ["c", "n", "qps", "t", "p", "r", "loglevel"],
    booleans: ["grpc", "ping", "quiet", "allow-initial-errors", "h", "help"],
    numeric: ["qps", "r"], integers: ["c", "n"])

  /// fortio's log levels, by number.
  private static let levels = ["Debug", "Verbose", "Info", "Warning", "Error", "Critical", "Fatal"]
  /// The levels fortio's output depends on: info logs, and the run's summary (`log.Log(log.Warning)`).
  private static let info = 2, warning = 3

  /// The most a load may ask of the model: a learner's command stays quick.
  static let maximumCalls = 100_000
  static let maximumThreads = 1_000
  static let maximumDuration = SimDuration.seconds(60)

  mutating func run(_ arguments: [String]) -> ToolResult {
    guard let command = arguments.first else { return Self.usageError("") }
    let options: GoFlags.Parsed
    switch Self.flags.parse(Array(arguments.dropFirst())) {
    case .success(let parsed): options = parsed
    case .failure(let failure): return Self.usageError(failure.message)
    }
    if options.has("h") || options.has("help") { return ToolResult(stderr: Self.usage) }
    switch command {
    case "load": return load(options)
    case "curl": return curl(options)
    case "version": return ToolResult(stdout: FortioApp.version + "\n")
    case "help": return ToolResult(stderr: Self.usage)
    default: return Self.usageError("Error: unknown command \(command)")
    }
  }

  // MARK: load

  private mutating func load(_ options: GoFlags.Parsed) -> ToolResult {
    guard let target = options.arguments.first else { return Self.usageError("Error: fortio load needs a url or destination") }
    guard options.arguments.count == 1 else { return Self.usageError("Error: too many arguments (typo in a flag?)") }
    let levelName = options.has("quiet") ? "Error" : options.value("loglevel") ?? "Info"
    guard let level = Self.levels.firstIndex(where: { $0.lowercased() == levelName.lowercased() }) else {
      return Self.usageError("invalid value \"\(levelName)\" for flag -loglevel: parse error")
    }
    let threadsAsked = max(Int(options.value("c") ?? "4") ?? 4, 1)
    let exactly = max(Int(options.value("n") ?? "0") ?? 0, 0)
    let qps = Double(options.value("qps") ?? "8") ?? 8
    let resolution = Double(options.value("r") ?? "0.001") ?? 0.001
    guard threadsAsked <= Self.maximumThreads, exactly <= Self.maximumCalls else {
      return ToolResult(
        stderr: "grpclab: a fortio load here runs at most \(Self.maximumThreads) threads (-c) and \(Self.maximumCalls) calls (-n)\n",
        exitCode: 1)
    }
    guard let duration = GoFormat.parseDuration(options.value("t") ?? "5s") else {
      return Self.usageError("invalid value \"\(options.value("t") ?? "")\" for flag -t: parse error")
    }
    var targets: [Double] = []
    for text in (options.value("p") ?? "50,75,90,99,99.9").split(separator: ",") {
      guard let value = Double(text.filter { $0 != " " }), value >= 0 else {
        return ToolResult(stderr: "Unable to extract percentiles from -p: strconv.ParseFloat: parsing \"\(text)\": invalid syntax\n", exitCode: 1)
      }
      targets.append(value)
    }
    guard resolution > 0 else {
      return ToolResult(stderr: "Invalid resolution \(GoFormat.g(resolution)), must be > 0\n", exitCode: 1)
    }
    if exactly == 0 && duration.nanoseconds <= 0 {
      return ToolResult(stderr: "grpclab: fortio would run until interrupted; give -n CALLS or -t DURATION\n", exitCode: 1)
    }
    // At full speed a call takes half a millisecond at least: a duration that would hold more calls than
    // the lab runs quickly is refused before it starts.
    let seconds = Double(duration.nanoseconds) / 1e9
    let expected = qps > 0 ? qps * seconds : Double(threadsAsked) * seconds / 0.000_5
    if exactly == 0 && (duration > Self.maximumDuration || expected > Double(Self.maximumCalls)) {
      return ToolResult(
        stderr: "grpclab: a fortio load here runs at most \(Self.maximumCalls) calls; give -n, or fewer threads (-c) or a shorter -t\n",
        exitCode: 1)
    }
    let grpc = options.has("grpc")
    let ping = options.has("ping")
    let host: String
    let port: Int
    let method: GRPCLoad.Method
    if grpc {
      var address = Substring(target)
      if address.hasPrefix("http://") { address = address.dropFirst(7) }
      guard let number = address.contains(":") ? Int(address.drop { $0 != ":" }.dropFirst()) : 8079, !address.isEmpty,
        !address.hasPrefix(":")
      else {
        return ToolResult(stderr: "grpclab: fortio -grpc needs HOST:PORT, not '\(target)'\n", exitCode: 1)
      }
      (host, port, method) = (String(address.prefix { $0 != ":" }), number, ping ? .ping : .healthCheck)
    } else {
      guard let request = Curl.parse(target.contains("://") ? target : "http://" + target, method: "GET") else {
        return ToolResult(stderr: Self.logLine(cluster.now, "err", file: "http_client.go", line: 430, "Unable to parse url \(target)"), exitCode: 1)
      }
      guard !request.path.hasPrefix("/hello/grpc") else {
        return ToolResult(
          stderr: "grpclab: fortio's HTTP load does not run the greeter's /hello/grpc, which opens gRPC channels of its own; call it with curl\n",
          exitCode: 1)
      }
      (host, port, method) = (request.host, request.port, .http(method: "GET", path: request.path))
    }
    let threads = exactly > 0 ? min(threadsAsked, exactly) : threadsAsked
    // A thread's calls are at least a microsecond apart and at most an hour.
    let interval = qps > 0 ? SimDuration(nanoseconds: Int64(min(max(Double(threads) / qps, 1e-6), 3_600) * 1e9)) : nil
    var text = ""
    // -quiet sets its level quietly.
    if level != Self.info && !options.has("quiet") {
      text += Self.logLine(cluster.now, "info", file: "logger.go", line: 254, "Log level is now \(level) \(Self.levels[level]) (was 2 Info)")
    }
    if level <= Self.info {
      text += Self.logLine(
        cluster.now, "info", file: "scli.go", line: 123, "Starting",
        attributes: [("command", "\"Φορτίο\""), ("version", Self.jsonQuoted(FortioApp.buildVersion))])
    }
    let rate = qps > 0 ? GoFormat.g(qps) : "0"
    text += "Fortio \(FortioApp.version) running at \(rate) queries per second, 2->2 procs, "
      + (exactly > 0 ? "for \(exactly) calls: \(target)\n" : "for \(GoFormat.duration(duration)): \(target)\n")
    if level <= Self.info {
      text += Self.testStart(grpc: grpc, ping: ping, target: target, threads: threadsAsked, qps: qps, at: cluster.now)
    }
    let warmup = exactly > 0 ? 0 : threads
    do throws(ClusterError) {
      if warmup > 0 {
        let first = try cluster.run(
          GRPCLoad(
            tool: "fortio", host: host, port: port, method: method, calls: Array(repeating: 1, count: threads), interval: nil, duration: nil),
          from: pod)
        if !options.has("allow-initial-errors") {
          if grpc, let failure = Self.failures(of: first, calls: threads).first {
            text += Self.logLine(
              cluster.now, "err", file: "grpcrunner.go", line: 124,
              "Error in first grpc call (ping = \(ping)) for \(target): \(failure)")
            return ToolResult(stderr: text + "Aborting because of \(failure)\n", exitCode: 1)
          }
          if !grpc, let failure = Self.httpFailure(of: first, target: target) {
            return ToolResult(stderr: text + "Aborting because of \(failure)\n", exitCode: 1)
          }
        }
      }
      let perThread = exactly > 0 ? exactly / threads : Int.max / 2
      var calls = Array(repeating: perThread, count: threads)
      if exactly > 0 { calls[0] += exactly % threads }
      if level <= Self.warning {
        if let interval {
          let each = duration.nanoseconds / max(interval.nanoseconds, 1)
          text += exactly > 0
            ? "Starting at \(rate) qps with \(threads) thread(s) [gomax 2] : exactly \(exactly), \(perThread) calls each (total \(perThread * threads) + \(exactly % threads))\n"
            : "Starting at \(rate) qps with \(threads) thread(s) [gomax 2] for \(GoFormat.duration(duration)) : \(each) calls each (total \(Int(each) * threads))\n"
        } else {
          text += exactly > 0
            ? "Starting at max qps with \(threads) thread(s) [gomax 2] for exactly \(exactly) calls (\(perThread) per thread + \(exactly % threads))\n"
            : "Starting at max qps with \(threads) thread(s) [gomax 2] for \(GoFormat.duration(duration))\n"
        }
      }
      let report = try cluster.run(
        GRPCLoad(
          tool: "fortio", host: host, port: port, method: method, calls: calls, interval: interval,
          duration: exactly > 0 ? nil : duration),
        from: pod)
      if !grpc, let failure = Self.httpFailure(of: report, target: target), report.channelError != nil {
        return ToolResult(stderr: text + "Aborting because of \(failure)\n", exitCode: 1)
      }
      if grpc {
        text += summary(
          report, calls: exactly, warmup: warmup, interval: interval, level: level, resolution: resolution, targets: targets,
          name: ping ? "Ping" : "Health")
      } else {
        text += httpSummary(
          report, threads: threads, warmup: warmup, interval: interval, level: level, resolution: resolution, targets: targets)
      }
    } catch {
      return ToolResult(stderr: text + "Error: \(error)\n", exitCode: 1)
    }
    return ToolResult(stderr: text)
  }

  /// The `rpc error` texts of a report's failed calls; every call fails when the channels could not connect.
  private static func failures(of report: LoadReport, calls: Int) -> [String] {
    if let error = report.channelError { return Array(repeating: channelText(error), count: calls) }
    return report.calls.filter { $0.status != .ok }.map { "rpc error: code = \($0.status.goName) desc = \($0.message)" }
  }

  /// How grpc-go words a channel that could not connect.
  private static func channelText(_ error: Cluster.ChannelError) -> String {
    let reason: String
    switch error {
    case .unresolved(let host):
      reason = "connection error: desc = \"transport: Error while dialing: dial tcp: lookup \(host) on \(Cluster.dnsServer):53: no such host\""
    case .refused(let address):
      reason = "connection error: desc = \"transport: Error while dialing: dial tcp \(address): connect: connection refused\""
    case .closed: reason = "connection closed before server preface received"
    }
    return "rpc error: code = Unavailable desc = \(reason)"
  }

  /// The lines after the start line: warnings, timings, histograms and status counts.
  private func summary(
    _ report: LoadReport, calls exactly: Int, warmup: Int, interval: SimDuration?, level: Int, resolution: Double,
    targets: [Double], name: String
  ) -> String {
    var logs: [(time: SimTime, text: String)] = []
    var all = FortioHistogram(resolution: resolution)
    var errors = FortioHistogram(resolution: resolution)
    var serving = 0
    let single = Self.isSingleThreaded(report)
    let start = report.calls.map(\.started).min() ?? report.started
    var end = start
    for call in report.calls {
      let seconds = Double(call.duration.nanoseconds) / 1e9
      all.record(seconds)
      end = max(end, call.started + call.duration)
      if call.status == .ok {
        serving += 1
      } else {
        errors.record(seconds)
        if level <= Self.warning {
          logs.append((call.started + call.duration, Self.logLine(
            call.started + call.duration, "warn", file: "grpcrunner.go", line: 108, goroutine: Self.goroutine(of: call.thread, single: single),
            "Error making grpc call: rpc error: code = \(call.status.goName) desc = \(call.message)")))
        }
      }
    }
    var failed = errors.count
    if let error = report.channelError {
      let count = max(exactly, 1)
      failed = count
      for _ in 0..<count {
        all.record(0)
        errors.record(0)
        if level <= Self.warning {
          logs.append((report.finished, Self.logLine(
            report.finished, "warn", file: "grpcrunner.go", line: 108, "Error making grpc call: \(Self.channelText(error))")))
        }
      }
    }
    if level <= Self.info { logs += Self.threadEnds(of: report, from: start, single: single) }
    let (timings, qps) = timings(
      all, errors: errors, from: start, to: end, of: report, interval: interval, level: level, resolution: resolution, targets: targets)
    var text = Self.ordered(logs) + timings + "Jitter: false\n"
    if serving > 0 { text += "\(name) SERVING : \(serving)\n" }
    if failed > 0 { text += "\(name) ERROR : \(failed)\n" }
    return text + Self.allDone(all, warmup: warmup, qps: qps)
  }

  /// Why an HTTP warm-up call failed, as fortio's HTTP runner words it; nil when every one succeeded.
  private static func httpFailure(of report: LoadReport, target: String) -> String? {
    if let error = report.channelError {
      switch error {
      case .unresolved(let host): return "unable to lookup \(host): no such host"
      case .refused(let address): return "unable to connect to \(address): connection refused"
      case .closed: return "EOF reading headers"
      }
    }
    guard let failed = report.calls.first(where: { ($0.http?.status).map(FortioApp.isOK) == false }), let http = failed.http else {
      return nil
    }
    return "error \(http.status) for \(target): \(failed.message.goQuoted)"
  }

  /// The lines of an HTTP load after the start line: warnings for replies that were not OK, timings, the
  /// sockets each thread used, and the counts of codes and sizes.
  private func httpSummary(
    _ report: LoadReport, threads: Int, warmup: Int, interval: SimDuration?, level: Int, resolution: Double, targets: [Double]
  ) -> String {
    var logs: [(time: SimTime, text: String)] = []
    var all = FortioHistogram(resolution: resolution)
    var errors = FortioHistogram(resolution: resolution)
    var headers = FortioHistogram(resolution: resolution)
    var sizes = FortioHistogram(resolution: resolution)
    var codes: [Int: Int] = [:]
    let single = Self.isSingleThreaded(report)
    let start = report.calls.map(\.started).min() ?? report.started
    var end = start
    for call in report.calls {
      guard let http = call.http else { continue }
      let seconds = Double(call.duration.nanoseconds) / 1e9
      all.record(seconds)
      end = max(end, call.started + call.duration)
      codes[http.status, default: 0] += 1
      sizes.record(Double(http.headBytes + http.bodyBytes))
      if FortioApp.isOK(http.status) {
        headers.record(Double(http.headBytes))
      } else {
        // fortio stops reading at the status line of a reply that is not OK: it parsed no headers.
        headers.record(0)
        errors.record(seconds)
        if level <= Self.warning {
          logs.append((call.started + call.duration, Self.logLine(
            call.started + call.duration, "warn", file: "http_client.go", line: 1104, goroutine: Self.goroutine(of: call.thread, single: single),
            "Non ok http code", attributes: [("code", "\(http.status)"), ("status", "\"HTTP/1.1 \(http.status)\""), ("thread", "\(call.thread)"), ("run", "0")])))
        }
      }
    }
    if level <= Self.info { logs += Self.threadEnds(of: report, from: start, single: single) }
    let (timings, qps) = timings(
      all, errors: errors, from: start, to: end, of: report, interval: interval, level: level, resolution: resolution, targets: targets)
    var text = Self.ordered(logs) + timings
    text += "# Socket and IP used for each connection:\n"
    var connecting = FortioHistogram(resolution: resolution)
    var addresses: [String: Int] = [:]
    for (thread, connections) in report.connections.enumerated() {
      var timing = FortioHistogram(resolution: resolution)
      for time in connections.times {
        timing.record(Double(time.nanoseconds) / 1e9)
        connecting.record(Double(time.nanoseconds) / 1e9)
      }
      let address = connections.address.description
      addresses[address, default: 0] += connections.times.count
      text += "[\(thread)] \(String(connections.times.count).leftPadded(to: 3)) socket used, resolved to \(address)"
        + timing.counterLine(", connection timing")
    }
    if level <= Self.info {
      text += connecting.printed("Connection time histogram (s)", targets: targets)
    } else if level == Self.warning {
      text += connecting.counterLine("Connection time (s)")
    }
    text += "Sockets used: \(connecting.count) (for perfect keepalive, would be \(threads))\n"
    text += "Uniform: false, Jitter: false, Catchup allowed: true\n"
    text += "IP addresses distribution:\n"
    for (address, count) in addresses.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
      text += "\(address): \(count)\n"
    }
    for (code, count) in codes.sorted(by: { $0.key < $1.key }) {
      text += "Code \(String(code).leftPadded(to: 3)) : \(count) (\(GoFormat.f(100 * Double(count) / Double(max(all.count, 1)), decimals: 1)) %)\n"
    }
    if level <= Self.warning {
      text += headers.counterLine("Response Header Sizes")
      text += sizes.counterLine("Response Body/Total Sizes")
    }
    return text + Self.allDone(all, warmup: warmup, qps: qps)
  }

  /// fortio's last line: the calls, the warm-up calls before them, their average time and rate.
  private static func allDone(_ all: FortioHistogram, warmup: Int, qps: Double) -> String {
    "All done \(all.count) calls (plus \(warmup) warmup) \(GoFormat.f(all.average * 1000, decimals: 3)) ms avg, "
      + "\(GoFormat.f(qps, decimals: 1)) qps\n"
  }

  /// `Ended after …` with the rate the calls from `start` to `end` kept, the sleeps of a load that keeps a
  /// rate, and the histograms of the calls' times and of the failed ones', as fortio prints them at `level`;
  /// returns the rate too.
  private func timings(
    _ all: FortioHistogram, errors: FortioHistogram, from start: SimTime, to end: SimTime, of report: LoadReport,
    interval: SimDuration?, level: Int, resolution: Double, targets: [Double]
  ) -> (text: String, qps: Double) {
    let elapsed = end - start
    let qps = Self.rate(all.count, over: elapsed)
    var text = ""
    if level <= Self.warning {
      text += "Ended after \(GoFormat.duration(elapsed)) : \(all.count) calls. qps=\(GoFormat.g(qps, significant: 5))\n"
    }
    if level <= Self.info {
      text += Self.logLine(
        end, "info", file: "periodic.go", line: 581, "Run ended",
        attributes: [("run", "0"), ("elapsed", "\"\(GoFormat.duration(elapsed))\""), ("calls", "\(all.count)"), ("qps", GoFormat.g(qps))])
    }
    if let interval {
      text += sleeps(of: report, interval: interval, level: level, resolution: resolution, targets: targets)
    }
    if level <= Self.warning {
      text += all.printed("Aggregated Function Time", targets: targets)
      text += errors.printed("Error cases", targets: targets)
    } else {
      text += all.counterLine("Aggregated Function Time") + all.targetLines(targets) + errors.counterLine("Error cases")
    }
    return (text, qps)
  }

  /// Each thread's info line as it ends (`T000 ended after …`), at the time it ended: its calls from `start`,
  /// logged from the main goroutine when the load is `single`-threaded.
  private static func threadEnds(of report: LoadReport, from start: SimTime, single: Bool) -> [(time: SimTime, text: String)] {
    Dictionary(grouping: report.calls, by: \.thread).sorted { $0.key < $1.key }.map { thread, calls in
      let end = calls.map { $0.started + $0.duration }.max() ?? start
      let elapsed = end - start
      let name = "T" + String(thread).leftPadded(to: 3, with: "0")
      return (end, logLine(
        end, "info", file: "periodic.go", line: 850, goroutine: goroutine(of: thread, single: single),
        "\(name) ended after \(GoFormat.duration(elapsed)) : \(calls.count) calls. qps=\(GoFormat.g(rate(calls.count, over: elapsed)))"))
    }
  }

  /// Calls per second over `elapsed` (a nanosecond at least).
  private static func rate(_ calls: Int, over elapsed: SimDuration) -> Double {
    Double(calls) / max(Double(elapsed.nanoseconds) / 1e9, 1e-9)
  }

  /// Whether the load ran on one thread, which fortio runs on its main goroutine rather than one of its own.
  private static func isSingleThreaded(_ report: LoadReport) -> Bool {
    !report.calls.contains { $0.thread != 0 }
  }

  /// The goroutine that logs for `thread` (`"r"` in fortio's log lines).
  private static func goroutine(of thread: Int, single: Bool) -> Int {
    single ? 1 : 51 + thread
  }

  /// The info lines a runner logs as it starts: what it runs, on how many threads, at which rate (-1 for
  /// as fast as it can), at `time`.
  private static func testStart(grpc: Bool, ping: Bool, target: String, threads: Int, qps: Double, at time: SimTime) -> String {
    let rate = GoFormat.f(qps > 0 ? qps : -1, decimals: 1)
    guard grpc else {
      return logLine(
        time, "info", file: "httprunner.go", line: 121, "Starting http test",
        attributes: [
          ("run", "0"), ("url", jsonQuoted(target)), ("threads", "\(threads)"), ("qps", "\"\(rate)\""), ("warmup", "\"parallel\""),
          ("conn-reuse", "\"\""),
        ])
    }
    let kind = ping ? "GRPC Ping" : "GRPC Health for ''"
    return logLine(
      time, "info", file: "grpcrunner.go", line: 162,
      "Starting \(kind) test for \(target) with 1*\(threads) threads at \(rate) qps, compression: false")
      + logLine(time, "info", file: "grpcrunner.go", line: 342, "Extracted dial options: []")
  }

  /// Log lines in the order of their times (in the order given when times are equal), as one text.
  private static func ordered(_ logs: [(time: SimTime, text: String)]) -> String {
    logs.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element.text).joined()
  }

  /// How long each thread slept before its calls to keep its rate; negative when it fell behind.
  private func sleeps(of report: LoadReport, interval: SimDuration, level: Int, resolution: Double, targets: [Double]) -> String {
    var sleeps = FortioHistogram(resolution: resolution)
    var behind = 0
    let byThread = Dictionary(grouping: report.calls, by: \.thread)
    for thread in byThread.keys.sorted() {
      let calls = byThread[thread] ?? []
      let ordered = calls.sorted { $0.started < $1.started }
      guard let first = ordered.first else { continue }
      for offset in ordered.indices.dropFirst() {
        let due = first.started + SimDuration(nanoseconds: interval.nanoseconds * Int64(offset))
        let previous = ordered[offset - 1]
        let sleep = Double((due - (previous.started + previous.duration)).nanoseconds) / 1e9
        if sleep < 0 { behind += 1 }
        sleeps.record(sleep)
      }
    }
    guard sleeps.count > 0, Double(behind) / Double(sleeps.count) > 0.05 else {
      return level <= Self.warning ? sleeps.counterLine("Sleep times") : ""
    }
    return sleeps.printed("Aggregated Sleep Time", targets: targets)
      + "WARNING \(GoFormat.f(100 * Double(behind) / Double(sleeps.count), decimals: 2))% of sleep were falling behind\n"
  }

  // MARK: curl

  private mutating func curl(_ options: GoFlags.Parsed) -> ToolResult {
    guard let url = options.arguments.first else { return Self.usageError("Error: fortio curl needs a url or destination") }
    guard var request = Curl.parse(url.contains("://") ? url : "http://" + url, method: "GET") else {
      return ToolResult(stderr: Self.logLine(cluster.now, "err", file: "http_client.go", line: 430, "Unable to parse url \(url)"), exitCode: 1)
    }
    request.userAgent = FortioApp.userAgent
    let outcome: RequestOutcome
    do {
      outcome = try cluster.send(request, from: pod, tool: "fortio")
    } catch {
      return ToolResult(stderr: "Error: \(error)\n", exitCode: 1)
    }
    switch outcome {
    case .unresolvedHost(let host):
      return ToolResult(
        stderr: Self.logLine(cluster.now, "err", file: "http_client.go", line: 1041, "Unable to lookup \(host): no such host"), exitCode: 1)
    case .connectionRefused(let host, let port):
      return ToolResult(
        stderr: Self.logLine(cluster.now, "err", file: "http_client.go", line: 1070, "Unable to connect to \(host):\(port): connection refused"),
        exitCode: 1)
    case .emptyReply:
      return ToolResult(stderr: Self.logLine(cluster.now, "err", file: "http_client.go", line: 1128, "EOF reading headers"), exitCode: 1)
    case .response(let response, _):
      // The headers go to stderr, the body to stdout; a status that is not OK is logged after them.
      var result = ToolResult(stderr: response.wireHead)
      result.append(outputOf: ToolResult(stdout: response.body))
      guard response.status == 200 else {
        result.append(outputOf: ToolResult(stderr: Self.logLine(cluster.now, "err", file: "commonflags.go", line: 172, "Error status \(response.status)")))
        result.exitCode = 1
        return result
      }
      return result
    }
  }

  // MARK: output

  /// One JSON log line, as fortio logs without a terminal.
  /// `attributes` follow the message as `"key":value`, each value as written (quoted when a string).
  private static func logLine(
    _ time: SimTime, _ level: String, file: String, line: Int, goroutine: Int = 1, _ message: String,
    attributes: [(String, String)] = []
  ) -> String {
    let micros = String(time.nanoseconds % 1_000_000_000 / 1_000)
    let stamp = "\(time.seconds).\(micros.leftPadded(to: 6, with: "0"))"
    let rest = attributes.map { ",\"\($0.0)\":\($0.1)" }.joined()
    return "{\"ts\":\(stamp),\"level\":\"\(level)\",\"r\":\(goroutine),\"file\":\"\(file)\",\"line\":\(line),\"msg\":\(jsonQuoted(message))\(rest)}\n"
  }

  private static func jsonQuoted(_ text: String) -> String {
    var quoted = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": quoted += "\\\""
      case "\\": quoted += "\\\\"
      case "\n": quoted += "\\n"
      case "\t": quoted += "\\t"
      default: quoted.unicodeScalars.append(scalar)
      }
    }
    return quoted + "\""
  }

  private static func usageError(_ message: String) -> ToolResult {
    ToolResult(stderr: usage + (message.isEmpty ? "" : message + "\n"), exitCode: 1)
  }

  private static let usage = """
    Φορτίο \(FortioApp.version) usage:
    \tfortio command [flags] target
    where command is one of: load (load testing), server (starts ui, rest api,
     http-echo, redirect, proxies, tcp-echo, udp-echo and grpc ping servers),
     tcp-echo (only the tcp-echo server), udp-echo (only udp-echo server),
     report (report only UI server), redirect (only the redirect server),
     proxies (only the -M and -P configured proxies), grpcping (grpc client),
     or curl (single URL debug), or nc (single tcp or udp:// connection),
     or version (prints the full version and build details).
    where target is a url (http load tests) or host:port (grpc health test),
     or tcp://host:port (tcp load test), or udp://host:port (udp load test).
    flags (those this lab models):
      -allow-initial-errors
        \tAllow and don't abort on initial warmup errors
      -c int
        \tNumber of connections/goroutine/threads (default 4)
      -grpc
        \tUse GRPC (health check by default, add -ping for ping) for load testing
      -loglevel value
        \tlog level, one of [Debug Verbose Info Warning Error Critical Fatal] (default Info)
      -n int
        \tRun for exactly this number of calls instead of duration. Default (0) is to use duration (-t).
      -p string
        \tList of pXX to calculate (default "50,75,90,99,99.9")
      -ping
        \tgRPC load test: use ping instead of health
      -qps float
        \tQueries Per Seconds or 0 for no wait/max qps (default 8)
      -quiet
        \tQuiet mode, sets loglevel to Error (quietly) to reduces the output
      -r float
        \tResolution of the histogram lowest buckets in seconds (default 0.001)
      -t duration
        \tHow long to run the test or 0 to run until ^C (default 5s)

    """
}
