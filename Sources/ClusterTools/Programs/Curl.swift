import ClusterModel

/// `curl` as the lab's container image ships it (curl 7.61): URL, `-s`, `-S`, `-f`, `-i`, `-X`, `-o FILE`
/// (the body goes to the file, in the container) and `-w FORMAT` (`%{http_code}`, `%{size_download}` …).
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
    var method = "GET"
    var output: String?
    var writeOut: String?
    var url: String?
    var rest = arguments[...]
    while let argument = rest.first {
      rest = rest.dropFirst()
      switch argument {
      case "-s", "--silent": silent = true
      case "-S", "--show-error": showErrors = true
      case "-sS", "-Ss": silent = true; showErrors = true
      case "-f", "--fail": fail = true
      case "-i", "--include": include = true
      case "-X", "--request", "-o", "--output", "-w", "--write-out":
        guard let value = rest.first else { return usage("option \(argument): requires parameter") }
        switch argument {
        case "-X", "--request": method = value
        case "-o", "--output": output = value
        default: writeOut = value
        }
        rest = rest.dropFirst()
      default:
        if argument.hasPrefix("-") { return usage("option \(argument): is unknown") }
        url = argument
      }
    }
    guard let url else { return usage("no URL specified!") }
    guard let request = Self.parse(url, method: method) else {
      return ToolResult(stderr: "curl: (3) URL using bad/illegal format or missing URL\n", exitCode: 3)
    }
    let meter = silent ? "" : "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n"
    func error(_ code: Int32, _ message: String) -> ToolResult {
      let zero = silent ? "" : "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
      let text = silent && !showErrors ? "" : "curl: (\(code)) \(message)\n"
      let written = writeOut.map { Self.writeOut($0, url: url, response: nil, elapsed: nil) }
      return ToolResult(stdout: written?.stdout ?? "", stderr: meter + zero + text + (written?.stderr ?? ""), exitCode: code)
    }
    let outcome: RequestOutcome
    do {
      outcome = try cluster.send(request, from: pod)
    } catch {
      return ToolResult(stderr: "curl: (7) Failed to connect to \(request.host) port \(request.port): Connection refused\n", exitCode: 7)
    }
    switch outcome {
    case .unresolvedHost(let host):
      return error(6, "Could not resolve host: \(host)")
    case .connectionRefused(let host, let port):
      return error(7, "Failed to connect to \(host) port \(port): Connection refused")
    case .emptyReply:
      return error(52, "Empty reply from server")
    case .response(let response, let elapsed):
      if fail && response.status >= 400 {
        return error(22, "The requested URL returned error: \(response.status) \(response.reason)")
      }
      let body = include ? response.wireHead + response.body : response.body
      let size = response.body.utf8.count
      let seconds = max(Double(elapsed.nanoseconds) / 1e9, 0.001)
      let speed = Self.max5(Int(Double(size) / seconds))
      let line = silent ? "" : "100 \(Self.max5(size))  100 \(Self.max5(size))    0     0  \(speed)      0 --:--:-- --:--:-- --:--:-- \(speed)\n"
      let written = writeOut.map { Self.writeOut($0, url: url, response: response, elapsed: elapsed) }
      let shown = output == nil || output == "-" ? body : ""
      return ToolResult(stdout: shown + (written?.stdout ?? ""), stderr: meter + line + (written?.stderr ?? ""))
    }
  }

  /// `-w FORMAT` after a transfer: `%{variable}`, `%%`, and the escapes `\n`, `\r`, `\t` and `\\`;
  /// an unknown variable is reported on standard error, as curl 7.61 reports it.
  static func writeOut(_ format: String, url: String, response: HTTPResponse?, elapsed: SimDuration?) -> (stdout: String, stderr: String) {
    var stdout = ""
    var stderr = ""
    var characters = format[...]
    while let character = characters.popFirst() {
      switch character {
      case "\\":
        guard let next = characters.first, "nrt\\".contains(next) else {
          stdout.append(character)
          continue
        }
        characters = characters.dropFirst()
        stdout += next == "n" ? "\n" : next == "r" ? "\r" : next == "t" ? "\t" : "\\"
      case "%" where characters.first == "%":
        characters = characters.dropFirst()
        stdout.append("%")
      case "%" where characters.first == "{":
        guard let close = characters.firstIndex(of: "}") else {
          stdout += "%" + characters
          characters = characters.dropFirst(characters.count)
          continue
        }
        let name = String(characters[characters.index(after: characters.startIndex)..<close])
        characters = characters[characters.index(after: close)...]
        let seconds = elapsed.map { String(format: "%.6f", Double($0.nanoseconds) / 1e9) } ?? "0.000000"
        switch name {
        case "http_code", "response_code": stdout += response.map { String(format: "%03d", $0.status) } ?? "000"
        case "size_download": stdout += String(response?.body.utf8.count ?? 0)
        case "size_header": stdout += String(response?.wireHead.utf8.count ?? 0)
        case "content_type": stdout += response?.headers.first { $0.name.lowercased() == "content-type" }?.value ?? ""
        case "url_effective": stdout += url
        case "num_connects": stdout += response == nil ? "0" : "1"
        case "time_total": stdout += seconds
        default: stderr += "curl: unknown --write-out variable: '\(name)'\n"
        }
      default:
        stdout.append(character)
      }
    }
    return (stdout, stderr)
  }

  /// A number in curl's 5-character progress-meter field.
  static func max5(_ value: Int) -> String {
    let text = value < 100_000 ? String(value) : value < 10_000_000 ? "\(value / 1024)k" : "\(value / 1_048_576)M"
    return text.leftPadded(5)
  }

  /// Splits `http://host[:port]/path`.
  static func parse(_ url: String, method: String) -> HTTPRequest? {
    var rest = Substring(url)
    if rest.hasPrefix("http://") { rest = rest.dropFirst(7) } else if rest.contains("://") { return nil }
    let authority = rest.prefix { $0 != "/" }
    let path = rest.dropFirst(authority.count)
    let host = authority.prefix { $0 != ":" }
    let port = authority.contains(":") ? Int(authority.drop { $0 != ":" }.dropFirst()) : 80
    guard !host.isEmpty, let port else { return nil }
    return HTTPRequest(method: method, host: String(host), port: port, path: path.isEmpty ? "/" : String(path))
  }

  private func usage(_ message: String) -> ToolResult {
    ToolResult(stderr: "curl: \(message)\ncurl: try 'curl --help' or 'curl --manual' for more information\n", exitCode: 2)
  }
}

extension HTTPResponse {
  /// The status line and header fields as they arrive on the wire (HTTP/1.1, with `content-length`),
  /// and the blank line that ends them.
  var wireHead: String {
    let headers = headers + [HTTPHeader("content-length", String(body.utf8.count))]
    return "HTTP/1.1 \(status) \(reason)\r\n" + headers.map { "\($0.name): \($0.value)\r\n" }.joined() + "\r\n"
  }
}
