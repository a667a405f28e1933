/// A load from inside a pod, as fortio's `load` puts it: threads, each on its own connection, each sending
/// its next call when the previous one is answered or when its rate says so.
public struct GRPCLoad: Equatable, Sendable {
  /// What every call asks.
  public enum Method: Equatable, Sendable {
    /// `grpc.health.v1.Health/Check`.
    case healthCheck
    /// `fgrpc.PingServer/Ping`.
    case ping
    /// An HTTP/1.1 request: each thread keeps its connection while replies are OK, and opens a new one
    /// after a reply that is not (fortio's rule, `FortioApp.isOK`).
    case http(method: String, path: String)

    /// The `:path` of its calls.
    var path: String {
      switch self {
      case .healthCheck: "/grpc.health.v1.Health/Check"
      case .ping: "/fgrpc.PingServer/Ping"
      case .http(_, let path): path
      }
    }
  }

  /// The tool that runs the load, as `ClientRun.Origin` names it.
  public var tool: String
  public var host: String
  public var port: Int
  public var method: Method
  /// The calls of each thread; each thread has its own connection.
  public var calls: [Int]
  /// Time between the starts of a thread's calls; nil sends each call as soon as the previous one ends.
  public var interval: SimDuration?
  /// How long the threads start calls for; nil runs until each thread has made its calls.
  public var duration: SimDuration?
  /// Whether the report keeps every HTTP reply, headers and body (`fortio curl`).
  public var keepsResponses = false
  /// The `User-Agent` of HTTP/1.1 requests; fortio's unless set.
  public var userAgent = FortioApp.userAgent

  public init(
    tool: String, host: String, port: Int, method: Method, calls: [Int], interval: SimDuration?, duration: SimDuration?
  ) {
    self.tool = tool
    self.host = host
    self.port = port
    self.method = method
    self.calls = calls
    self.interval = interval
    self.duration = duration
  }
}

/// One call of a load, as the load tool times it.
public struct LoadCall: Equatable, Sendable {
  /// The thread that made it, from 0.
  public var thread: Int
  public var started: SimTime
  public var duration: SimDuration
  /// The gRPC status, or for an HTTP/1.1 request the status gRPC's mapping gives its HTTP status.
  public var status: GRPCStatusCode
  /// The status description, empty on success.
  public var message: String
  /// The reply of an HTTP/1.1 request.
  public var http: HTTPOutcome?
}

/// What the client read of one HTTP/1.1 reply.
public struct HTTPOutcome: Equatable, Sendable {
  /// The reply's status code; -1 when the client could not connect to send the request.
  public var status: Int
  /// Bytes of the status line and headers, with the blank line that ends them.
  public var headBytes: Int
  /// Bytes of the body.
  public var bodyBytes: Int

  init(_ response: HTTPResponse) {
    status = response.status
    headBytes = response.wireHead.utf8.count
    bodyBytes = response.body.utf8.count
  }

  /// A request the client could not send: its connection failed.
  static let socketError = HTTPOutcome(status: -1, headBytes: 0, bodyBytes: 0)

  private init(status: Int, headBytes: Int, bodyBytes: Int) {
    self.status = status
    self.headBytes = headBytes
    self.bodyBytes = bodyBytes
  }
}

/// What a load tool measured.
public struct LoadReport: Equatable, Sendable {
  public var started: SimTime
  public var finished: SimTime
  /// Every call, in the order they ended.
  public var calls: [LoadCall]
  /// Why the threads' channels could not connect, when they could not.
  public var channelError: Cluster.ChannelError?
  /// Each thread's connections: the address they dialled, and how long each took to connect.
  public var connections: [ThreadConnections] = []
  /// The HTTP replies the app read, for a load that keeps them.
  public var responses: [HTTPResponse] = []
}

/// The connections one thread of a load opened.
public struct ThreadConnections: Equatable, Sendable {
  /// The address the thread dialled.
  public var address: SocketAddress
  /// How long each connection took to connect, in order.
  public var times: [SimDuration]
}

extension Cluster {
  /// The user agent of fortio's gRPC client.
  static let grpcGoUserAgent = "grpc-go/1.59.0"

  /// Runs `load` from the pod's app container: each thread opens its own channel (through the pod's
  /// sidecar when it has one), and the data plane carries the calls of all threads at once.
  ///
  /// - Throws: `ClusterError.notFound` when the pod does not exist.
  public mutating func run(_ load: GRPCLoad, from ref: PodRef) throws(ClusterError) -> LoadReport {
    guard let pod = store.pod(ref) else { throw .notFound(.pod, name: ref.name) }
    let uid = pod.metadata.uid ?? ""
    let me = serverEnd(of: pod)
    let runID = telemetry.clientRuns.count + 1
    let firstCall = telemetry.callCount
    let started = now
    var proxy = runtimes[uid]?.proxy ?? EnvoyProxy(firstConnectionID: 1, debugLog: nil)
    var channels: [Channel] = []
    var channelError: ChannelError?
    var connections: [ThreadConnections] = []
    var httpMethod: String?
    if case .http(let method, _) = load.method { httpMethod = method }
    let http1 = httpMethod != nil
    // An HTTP client resolves the host once and dials the address for every connection.
    let resolved = http1 ? lookUp(load.host, from: pod) : nil
    if http1 && resolved == nil { channelError = .unresolved(load.host) }
    for _ in load.calls where channelError == nil || !http1 {
      let opening = now
      switch openChannel(
        from: pod, to: load.host, port: load.port, path: load.method.path,
        userAgent: http1 ? load.userAgent : Self.grpcGoUserAgent, httpMethod: httpMethod, resolved: resolved, proxy: &proxy)
      {
      case .success(let channel):
        channels.append(channel)
        connections.append(ThreadConnections(address: channel.destination, times: [now - opening]))
      case .failure(let error):
        channelError = error
      }
    }
    var report = LoadReport(started: started, finished: now, calls: [], channelError: channelError)
    if channelError == nil {
      let message: ClientLoad.Message
      switch load.method {
      case .healthCheck: message = .healthCheck
      case .ping: message = .ping
      case .http: message = .http
      }
      let calls = ClientLoad(
        message: message, threads: .own(calls: load.calls, reconnectsAfterFailure: http1), stopsAtFirstFailure: false,
        pause: .microseconds(20)...(.microseconds(60)), interval: load.interval,
        until: load.duration.map { now + $0 }, reports: true, keepsResponses: load.keepsResponses)
      let result = runCalls(calls, on: &channels, proxy: &proxy, from: pod, me: me, runID: runID)
      report.calls = result.calls
      report.responses = result.responses
      for (thread, times) in result.reconnects where thread < connections.count { connections[thread].times += times }
      report.connections = connections
    }
    for channel in channels where !channel.closed {
      closeChannel(channel, after: .microseconds(50)...(.microseconds(200)), proxy: &proxy)
    }
    if pod.hasSidecar { runtimes[uid]?.proxy = proxy }
    report.finished = now
    telemetry.record(ClientRun(
      id: runID, client: ref, started: started, finished: now, calls: firstCall..<telemetry.callCount,
      origin: .loadTool(load.tool)))
    reconcile()
    return report
  }
}
