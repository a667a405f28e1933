import ClusterModel
import Foundation

/// `curl` as the lab's container image ships it (curl 7.61): URL, `-s`, `-S`, `-f`, `-i`, `-v`, `-X`, `-o FILE`
/// (the body is written there, which the model keeps no copy of), `-w FORMAT` (`%{http_code}`,
/// `%{size_download}` …), and `-m`/`--max-time` and `--connect-timeout SECONDS`, which a lab call never
/// reaches: the model's calls end, or fail, within milliseconds of lab time.
struct Curl {
  var cluster: Cluster
  let pod: PodRef

  init(cluster: Cluster, pod: PodRef) {
    self.cluster = cluster
    self.pod = pod
  }

  mutating func run(_ arguments: [String]) -> ToolResult {
    var silent = false
    var showErrors = false
    var fail = false
    var include = false
    var verbose = false
    var method = "GET"
    var output: String?
    var writeOut: String?
    var url: String?
    var rest = arguments[...]
    while let argument = rest.first {
      rest = rest.dropFirst()
      if argument.count > 2, argument.hasPrefix("-"), !argument.hasPrefix("--") {
        // A cluster of short options (`-sS`, `-sfo FILE`): flags, then at most one that takes a value,
        // which is the rest of the cluster or the next argument.
        var letters = argument.dropFirst()
        var expanded: [String] = []
        while let letter = letters.popFirst() {
          expanded.append("-" + String(letter))
          if "Xowm".contains(letter) {
            if !letters.isEmpty { expanded.append(String(letters)) }
            break
          }
        }
        rest = expanded[...] + rest
        continue
      }
      switch argument {
      case "-s", "--silent": silent = true
      case "-S", "--show-error": showErrors = true
      case "-f", "--fail": fail = true
      case "-i", "--include": include = true
      case "-v", "--verbose": verbose = true
      case "-X", "--request", "-o", "--output", "-w", "--write-out":
        guard let value = rest.first else { return usage("option \(argument): requires parameter") }
        switch argument {
        case "-X", "--request": method = value
        case "-o", "--output": output = value
        default: writeOut = value
        }
        rest = rest.dropFirst()
      case "-m", "--max-time", "--connect-timeout":
        guard let value = rest.first else { return usage("option \(argument): requires parameter") }
        guard let seconds = Double(value) else { return usage("option \(argument): expected a proper numerical parameter") }
        guard seconds >= 0 else { return usage("option \(argument): expected a positive numerical parameter") }
        rest = rest.dropFirst()
      default:
        if argument.hasPrefix("-") { return usage("option \(argument): is unknown") }
        url = argument
      }
    }
    guard let url else { return usage("no URL specified!") }
    guard let request = Self.parse(url, method: method) else {
      let message = Self.parse(url, method: method, anyPort: true) != nil ? "Port number out of range" : "URL using bad/illegal format or missing URL"
      return ToolResult(stderr: silent && !showErrors ? "" : "curl: (3) \(message)\n", exitCode: 3)
    }
    let meter = silent ? "" : "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n"
    let zero = silent ? "" : "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
    let transfer = Transfer(url: url, output: output)
    // The address -v says it tries: the one the request will resolve to.
    let address = verbose ? cluster.resolve(request.host, from: pod.namespace).first ?? "" : ""
    var trace = Trace(enabled: verbose)
    func error(_ code: Int32, _ message: String, transfer: Transfer = transfer, closing: Bool = true) -> ToolResult {
      if closing { trace.note("Closing connection 0") }
      let text = silent && !showErrors ? "" : "curl: (\(code)) \(message)\n"
      let written = writeOut.map { Self.writeOut($0, transfer) }
      return ToolResult(stdout: written?.stdout ?? "", stderr: meter + zero + trace.text + (written?.stderr ?? "") + text, exitCode: code)
    }
    let outcome: RequestOutcome
    do {
      outcome = try cluster.send(request, from: pod)
    } catch {
      return ToolResult(stderr: "curl: (7) Failed to connect to \(request.host) port \(request.port): Connection refused\n", exitCode: 7)
    }
    /// The trace of the connection: the address curl tries, then its refusal, or the request it sends.
    func connect(refused: Bool) {
      trace.note("  Trying \(address)...")
      trace.note("TCP_NODELAY set")
      if refused {
        trace.note("connect to \(address) port \(request.port) failed: Connection refused")
        trace.note("Failed to connect to \(request.host) port \(request.port): Connection refused")
      } else {
        trace.note("Connected to \(request.host) (\(address)) port \(request.port) (#0)")
        trace.sent(request)
      }
    }
    switch outcome {
    case .unresolvedHost(let host):
      trace.note("Could not resolve host: \(host)")
      return error(6, "Could not resolve host: \(host)")
    case .connectionRefused(let host, let port):
      connect(refused: true)
      return error(7, "Failed to connect to \(host) port \(port): Connection refused")
    case .emptyReply:
      connect(refused: false)
      var connected = transfer
      connected.connected = true
      trace.note("Empty reply from server")
      trace.note("Connection #0 to host \(request.host) left intact")
      return error(52, "Empty reply from server", transfer: connected, closing: false)
    case .response(let response, let elapsed):
      connect(refused: false)
      let answered = Transfer(url: url, output: output, connected: true, response: response, elapsed: elapsed)
      if fail && response.status >= 400 {
        trace.received("HTTP/1.1 \(response.status) \(response.reason)")
        trace.note("The requested URL returned error: \(response.status) \(response.reason)")
        return error(22, "The requested URL returned error: \(response.status) \(response.reason)", transfer: answered)
      }
      trace.received(response)
      let body = include ? response.wireHead + response.body : response.body
      let size = response.body.utf8.count
      let seconds = max(Double(elapsed.nanoseconds) / 1e9, 0.001)
      let speed = Self.max5(Int(Double(size) / seconds))
      let line = silent ? "" : "100 \(Self.max5(size))  100 \(Self.max5(size))    0     0  \(speed)      0 --:--:-- --:--:-- --:--:-- \(speed)\n"
      let afterwards = verbose ? "* Connection #0 to host \(request.host) left intact\n" : ""
      let written = writeOut.map { Self.writeOut($0, answered) }
      let shown = output == nil || output == "-" ? body : ""
      let progress = verbose ? zero + trace.text + line : meter + line
      return ToolResult(
        stdout: shown + (written?.stdout ?? ""), stderr: (verbose ? meter : "") + progress + afterwards + (written?.stderr ?? ""))
    }
  }

  /// What `-v` writes to standard error: `*` for what curl does, `>` for the request it sends and `<` for the
  /// response's head (each header line with the CR LF it has on the wire), and one `{ [N bytes data]` for a
  /// body it does not show there.
  private struct Trace {
    let enabled: Bool
    private(set) var text = ""

    init(enabled: Bool) { self.enabled = enabled }

    mutating func note(_ line: String) {
      if enabled { text += "* \(line)\n" }
    }

    mutating func sent(_ request: HTTPRequest) {
      guard enabled else { return }
      let host = request.port == 80 ? request.host : "\(request.host):\(request.port)"
      for line in ["\(request.method) \(request.path) HTTP/1.1", "Host: \(host)", "User-Agent: curl/7.61.1", "Accept: */*", ""] {
        text += "> \(line)\r\n"
      }
    }

    mutating func received(_ line: String) {
      if enabled { text += "< \(line)\r\n" }
    }

    mutating func received(_ response: HTTPResponse) {
      guard enabled else { return }
      for line in response.wireHead.components(separatedBy: "\r\n").dropLast() { received(line) }
      if !response.body.isEmpty { text += "{ [\(response.body.utf8.count) bytes data]\n" }
    }
  }

  /// What `-w` reports of a transfer.
  private struct Transfer {
    var url: String
    var output: String?
    var connected = false
    var response: HTTPResponse?
    var elapsed: SimDuration?
  }

  /// The `-w` variables curl 7.61 has that the model does not measure.
  private static let unmeasured: Set<String> = [
    "time_namelookup", "time_connect", "time_appconnect", "time_pretransfer", "time_starttransfer", "time_redirect",
    "speed_download", "speed_upload", "size_upload", "size_request", "remote_ip", "remote_port", "local_ip", "local_port",
    "num_redirects", "redirect_url", "http_connect", "ssl_verify_result", "proxy_ssl_verify_result",
  ]

  /// `-w FORMAT` after a transfer, as curl 7.61's `ourWriteOut` reads it: `%{variable}` (any case), `%%`,
  /// and `\n`, `\r` and `\t`; any other `%` or `\` pair stands for itself. An unknown variable is reported
  /// on standard error as curl reports it; one curl has that the model does not measure, in grpclab's words.
  private static func writeOut(_ format: String, _ transfer: Transfer) -> (stdout: String, stderr: String) {
    var stdout = ""
    var stderr = ""
    var characters = format[...]
    while let character = characters.popFirst() {
      guard character == "%" || character == "\\", let next = characters.first else {
        stdout.append(character)
        continue
      }
      if character == "\\" {
        characters = characters.dropFirst()
        switch next {
        case "n": stdout += "\n"
        case "r": stdout += "\r"
        case "t": stdout += "\t"
        default: stdout += "\\" + String(next)
        }
        continue
      }
      guard next == "{", let close = characters.firstIndex(of: "}") else {
        characters = characters.dropFirst()
        stdout += next == "%" ? "%" : "%" + String(next)
        continue
      }
      let name = characters[characters.index(after: characters.startIndex)..<close].lowercased()
      characters = characters[characters.index(after: close)...]
      stdout += value(of: name, transfer, unknown: &stderr)
    }
    return (stdout, stderr)
  }

  /// One `-w` variable's value.
  private static func value(of name: String, _ transfer: Transfer, unknown: inout String) -> String {
    let response = transfer.response
    switch name {
    case "http_code", "response_code": return response.map { String(format: "%03d", $0.status) } ?? "000"
    case "size_download": return String(response?.body.utf8.count ?? 0)
    case "size_header": return String(response?.wireHead.utf8.count ?? 0)
    case "content_type": return response?.headers.first { $0.name.lowercased() == "content-type" }?.value ?? ""
    case "num_connects": return transfer.connected ? "1" : "0"
    case "http_version": return response == nil ? "0" : "1.1"
    case "scheme": return "HTTP"
    case "filename_effective": return transfer.output ?? ""
    case "time_total": return String(format: "%.6f", Double(transfer.elapsed?.nanoseconds ?? 0) / 1e9)
    case "url_effective":
      let url = transfer.url.contains("://") ? transfer.url : "http://" + transfer.url
      let authority = url.drop { $0 != "/" }.dropFirst(2)
      return authority.contains("/") ? url : url + "/"
    case _ where unmeasured.contains(name):
      unknown += "grpclab: curl -w %{\(name)} is not measured in the lab\n"
      return ""
    default:
      unknown += "curl: unknown --write-out variable: '\(name)'\n"
      return ""
    }
  }

  /// A number in curl's 5-character progress-meter field.
  static func max5(_ value: Int) -> String {
    let text = value < 100_000 ? String(value) : value < 10_000_000 ? "\(value / 1024)k" : "\(value / 1_048_576)M"
    return text.leftPadded(to: 5)
  }

  /// Splits `http://host[:port]/path`: the request `url` asks for; nil when curl cannot read it, a port past
  /// 65535 included unless `anyPort`.
  static func parse(_ url: String, method: String, anyPort: Bool = false) -> HTTPRequest? {
    var rest = Substring(url)
    if rest.hasPrefix("http://") { rest = rest.dropFirst(7) } else if rest.contains("://") { return nil }
    let authority = rest.prefix { $0 != "/" }
    let path = rest.dropFirst(authority.count)
    let host = authority.prefix { $0 != ":" }
    let port = authority.contains(":") ? Int(authority.drop { $0 != ":" }.dropFirst()) : 80
    guard !host.isEmpty, let port, anyPort || (0...65_535).contains(port) else { return nil }
    return HTTPRequest(method: method, host: String(host), port: port, path: path.isEmpty ? "/" : String(path))
  }

  private func usage(_ message: String) -> ToolResult {
    ToolResult(stderr: "curl: \(message)\ncurl: try 'curl --help' or 'curl --manual' for more information\n", exitCode: 2)
  }
}
