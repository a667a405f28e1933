/// httpbin (`docker.io/kong/httpbin`), the HTTP service Istio's tasks call: Flask under gunicorn on port 80,
/// answering `GET /get`, `/headers`, `/ip`, `/user-agent` and `/status/CODE`.
public enum HTTPBinApp {
  /// The port gunicorn listens on unless its command binds another (`-b 0.0.0.0:8080`).
  public static let defaultPort = 80

  /// The port the container's gunicorn binds: the last `-b`/`--bind` address of its command and arguments.
  static func port(of container: Container) -> Int {
    let words = (container.command ?? []) + (container.args ?? [])
    var port = defaultPort
    for (index, word) in words.enumerated() where ["-b", "--bind"].contains(word) && index + 1 < words.count {
      if let value = words[index + 1].split(separator: ":").last.flatMap({ Int($0) }) { port = value }
    }
    return port
  }

  /// What gunicorn prints as it starts, after its time stamp.
  static func startupLog(port: Int) -> [String] {
    [
      "[1] [INFO] Starting gunicorn 19.9.0", "[1] [INFO] Listening at: http://0.0.0.0:\(port) (1)",
      "[1] [INFO] Using worker: gevent", "[8] [INFO] Booting worker with pid: 8",
    ]
  }

  /// The time stamp gunicorn puts before a line: `[2023-05-19 15:40:14 +0000]`.
  static func stamp(_ time: SimTime) -> String {
    let text = time.rfc3339(fractionDigits: 0)
    return "[\(text.prefix(10)) \(text.dropFirst(11).prefix(8)) +0000]"
  }

  /// The reply to `method path` with the request's `headers` (names as httpbin capitalises them) from
  /// `origin`, sent at `time`: each route answers its own methods and 405 to others; a `HEAD` gets the
  /// headers of its `GET`.
  static func respond(method: String, path: String, headers: [HTTPHeader], origin: String, url: String, at time: SimTime)
    -> HTTPResponse
  {
    let date = time.httpDate
    let route = path.prefix { $0 != "?" }
    let echoed = ["headers": object(headers), "origin": quoted(origin), "url": quoted(url), "args": "{}"]
    let withBody = echoed.merging(["data": quoted(""), "files": "{}", "form": "{}", "json": "null"]) { kept, _ in kept }
    let routes: [String: (methods: Set<String>, fields: [String: String])] = [
      "/get": (["GET"], echoed), "/post": (["POST"], withBody), "/put": (["PUT"], withBody),
      "/patch": (["PATCH"], withBody), "/delete": (["DELETE"], withBody),
      "/anything": (["GET", "POST", "PUT", "PATCH", "DELETE"], withBody.merging(["method": quoted(method)]) { _, new in new }),
      "/headers": (["GET"], ["headers": object(headers)]), "/ip": (["GET"], ["origin": quoted(origin)]),
      "/user-agent": (["GET"], ["user-agent": quoted(headers.first { $0.name == "User-Agent" }?.value ?? "")]),
    ]
    let reply: HTTPResponse
    if let (methods, fields) = routes[String(route)] {
      let allowed = methods.contains(method) || (method == "HEAD" && methods.contains("GET")) || method == "OPTIONS"
      reply = allowed ? json(fields, date: date) : page(405, date: date)
    } else if route.hasPrefix("/status/"), let code = Int(route.dropFirst(8)), (100...599).contains(code) {
      reply = HTTPResponse(status: code, headers: common("text/html; charset=utf-8", length: 0, date: date), body: "")
    } else {
      reply = page(404, date: date)
    }
    return method == "HEAD" ? HTTPResponse(status: reply.status, headers: reply.headers, body: "") : reply
  }

  /// Flask's JSON: keys sorted, two spaces of indent, a newline at the end.
  private static func json(_ fields: [String: String], date: String) -> HTTPResponse {
    let body = "{\n" + fields.sorted { $0.key < $1.key }.map { "  \(quoted($0.key)): \($0.value)" }.joined(separator: ", \n") + "\n}\n"
    return HTTPResponse(status: 200, headers: common("application/json", length: body.utf8.count, date: date), body: body)
  }

  /// Request headers as a nested JSON object, sorted by name.
  private static func object(_ headers: [HTTPHeader]) -> String {
    let lines = headers.sorted { $0.name < $1.name }.map { "    \(quoted($0.name)): \(quoted($0.value))" }
    return "{\n" + lines.joined(separator: ", \n") + "\n  }"
  }

  /// A string as Python's `json.dumps` writes it (`ensure_ascii`): control characters and everything past
  /// ASCII as `\uXXXX` escapes of UTF-16 units, with the short forms for the usual ones.
  private static func quoted(_ text: String) -> String {
    var quoted = "\""
    for unit in text.utf16 {
      switch unit {
      case 0x22: quoted += "\\\""
      case 0x5C: quoted += "\\\\"
      case 0x0A: quoted += "\\n"
      case 0x0D: quoted += "\\r"
      case 0x09: quoted += "\\t"
      case 0x08: quoted += "\\b"
      case 0x0C: quoted += "\\f"
      case 0x20..<0x7F: quoted.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
      default: quoted += "\\u" + String(unit, radix: 16).leftPadded(to: 4, with: "0")
      }
    }
    return quoted + "\""
  }

  /// Werkzeug's error page for `status`.
  private static func page(_ status: Int, date: String) -> HTTPResponse {
    let (title, text) = status == 405
      ? ("405 Method Not Allowed", "The method is not allowed for the requested URL.")
      : ("404 Not Found", "The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.")
    let body = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<title>\(title)</title>\n<h1>\(title.drop { $0 != " " }.dropFirst())</h1>\n<p>\(text)</p>\n"
    return HTTPResponse(status: status, headers: common("text/html", length: body.utf8.count, date: date), body: body)
  }

  /// The headers gunicorn and httpbin's CORS handler send with every reply.
  private static func common(_ type: String, length: Int, date: String) -> [HTTPHeader] {
    [
      HTTPHeader("Server", "gunicorn/19.9.0"), HTTPHeader("Date", date), HTTPHeader("Connection", "keep-alive"),
      HTTPHeader("Content-Type", type),
      HTTPHeader("Content-Length", String(length)), HTTPHeader("Access-Control-Allow-Origin", "*"),
      HTTPHeader("Access-Control-Allow-Credentials", "true"),
    ]
  }
}
