/// An HTTP/1.1 request from a client inside a pod (curl, say).
public struct HTTPRequest: Equatable, Sendable {
  public var method: String
  public var host: String
  public var port: Int
  public var path: String
  /// The client's `User-Agent`.
  public var userAgent: String

  public init(method: String = "GET", host: String, port: Int, path: String, userAgent: String = "curl/7.61.1") {
    self.method = method
    self.host = host
    self.port = port
    self.path = path
    self.userAgent = userAgent
  }
}

/// An HTTP response.
public struct HTTPResponse: Equatable, Sendable {
  public var status: Int
  /// Header fields in the order the server sent them.
  public var headers: [HTTPHeader]
  public var body: String

  public init(status: Int, headers: [HTTPHeader], body: String) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// The reason phrase for `status`.
  public var reason: String {
    switch status {
    case 200: "OK"
    case 400: "Bad Request"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 418: "I'm a teapot"
    case 500: "Internal Server Error"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    default: ""
    }
  }

  /// The status line and header fields as they arrive on the wire (HTTP/1.1, with `content-length` unless a
  /// header already gives it), and the blank line that ends them.
  public var wireHead: String {
    let length = headers.contains { $0.name.lowercased() == "content-length" } ? [] : [HTTPHeader("content-length", String(body.utf8.count))]
    return "HTTP/1.1 \(status) \(reason)\r\n" + (headers + length).map { "\($0.name): \($0.value)\r\n" }.joined() + "\r\n"
  }
}

/// One header field.
public struct HTTPHeader: Equatable, Sendable, Codable {
  public var name: String
  public var value: String

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

/// What became of a request sent into the data plane.
public enum RequestOutcome: Equatable, Sendable {
  /// The server answered after `elapsed`.
  case response(HTTPResponse, elapsed: SimDuration)
  /// The host name did not resolve.
  case unresolvedHost(String)
  /// The connection was refused.
  case connectionRefused(host: String, port: Int)
  /// The server closed the connection without a reply (an HTTP/1.1 request to an HTTP/2-only port).
  case emptyReply
}
