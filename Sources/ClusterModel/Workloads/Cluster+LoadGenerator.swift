/// A gRPC load from inside a pod, as fortio's `load -grpc` puts it: threads, each on its own connection,
/// each sending its next call when the previous one is answered or when its rate says so.
public struct GRPCLoad: Equatable, Sendable {
  /// What every call asks.
  public enum Method: Equatable, Sendable {
    /// `grpc.health.v1.Health/Check`.
    case healthCheck
    /// `fgrpc.PingServer/Ping`.
    case ping

    /// The `:path` of its calls.
    var path: String {
      switch self {
      case .healthCheck: "/grpc.health.v1.Health/Check"
      case .ping: "/fgrpc.PingServer/Ping"
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
  public var status: GRPCStatusCode
  /// The status description, empty on success.
  public var message: String
}

/// What a load tool measured.
public struct LoadReport: Equatable, Sendable {
  public var started: SimTime
  public var finished: SimTime
  /// Every call, in the order they ended.
  public var calls: [LoadCall]
  /// Why the threads' channels could not connect, when they could not.
  public var channelError: Cluster.ChannelError?
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
    for _ in load.calls {
      switch openChannel(
        from: pod, to: load.host, port: load.port, path: load.method.path, userAgent: Self.grpcGoUserAgent, proxy: &proxy)
      {
      case .success(let channel):
        channels.append(channel)
      case .failure(let error):
        channelError = error
      }
    }
    var report = LoadReport(started: started, finished: now, calls: [], channelError: channelError)
    if channelError == nil {
      let calls = ClientLoad(
        message: load.method == .ping ? .ping : .healthCheck, calls: load.calls, stopsAtFirstFailure: false,
        pause: .microseconds(20)...(.microseconds(60)), interval: load.interval,
        until: load.duration.map { now + $0 }, reports: true)
      report.calls = runCalls(calls, on: &channels, proxy: &proxy, from: pod, me: me, runID: runID).calls
    }
    for channel in channels { closeChannel(channel, after: .microseconds(50)...(.microseconds(200)), proxy: &proxy) }
    if pod.hasSidecar { runtimes[uid]?.proxy = proxy }
    report.finished = now
    telemetry.record(ClientRun(
      id: runID, client: ref, started: started, finished: now, calls: firstCall..<telemetry.callCount,
      origin: .loadTool(load.tool)))
    reconcile()
    return report
  }
}
