/// A load of unary calls from the learner's workstation through the router and the ingress gateway, as
/// ghz runs it: workers share a few connections, and whichever worker is free takes the next call.
public struct WorkstationLoad: Sendable {
  /// The connection settings and the call every worker makes (its `name` is the request's).
  public var call: WorkstationCall
  /// Calls in all (`-n`); nil when `duration` bounds the run.
  public var total: Int?
  /// How long workers start calls for (`-z`).
  public var duration: SimDuration?
  /// Workers (`-c`).
  public var concurrency: Int
  /// Connections the workers share (`--connections`): worker `i` sends on connection `i % connections`.
  public var connections: Int
  /// How long a call waits for its connection and its reply (`-t`).
  public var timeout: SimDuration
  /// Calls per second of all workers together (`-r`); nil sends each call as soon as a worker is free.
  public var rate: Int?
  /// Why the client cannot dial at all (an address without a port, in Go's words); every call fails with it.
  public var dialError: String?

  /// A load of `call`: `total` calls, or calls for `duration`, from `concurrency` workers on `connections`
  /// connections, each call waiting at most `timeout`, at `rate` calls per second when given.
  public init(
    call: WorkstationCall, total: Int?, duration: SimDuration?, concurrency: Int, connections: Int, timeout: SimDuration,
    rate: Int? = nil
  ) {
    self.call = call
    self.total = total
    self.duration = duration
    self.concurrency = concurrency
    self.connections = connections
    self.timeout = timeout
    self.rate = rate
  }

  /// The time between two ticks of the pacer that keeps `rate`.
  var interval: SimDuration? {
    rate.map { SimDuration(nanoseconds: 1_000_000_000 / Int64(max($0, 1))) }
  }

  /// The calls the workers take in all: `total` (none when it is nil), or for a timed load as many as the
  /// model makes; never more than `Cluster.workstationLoadLimit`.
  var callLimit: Int {
    min(duration == nil ? total ?? 0 : .max, Cluster.workstationLoadLimit)
  }
}

/// What a workstation load measured.
public struct WorkstationLoadReport: Equatable, Sendable {
  /// When the workers started, before their connections were dialled.
  public var started: SimTime
  /// When the last call ended.
  public var finished: SimTime
  /// Every call, in the order they ended; a call's time includes the wait for its connection.
  public var calls: [LoadCall]
}

extension Cluster {
  /// Runs `load` from the workstation: each connection is dialled through the router to the ingress
  /// gateway, whose Envoy then carries the calls of all workers at once, routing and balancing each one.
  ///
  /// gRPC dials without waiting: the first call of each worker waits for its connection, and when the
  /// connection fails every call fails with the reason (or waits out its timeout when nothing answers).
  public mutating func run(_ load: WorkstationLoad) -> WorkstationLoadReport {
    now = now + random.network.duration(in: .milliseconds(1)...(.milliseconds(4)))
    let started = now
    let count = min(load.concurrency, load.total ?? .max)
    var gateway: (pod: Pod, links: [GatewayConnection])?
    var failure = load.dialError.map { GatewayDialFailure.failed($0) }
    var ready = started
    for _ in 0..<max(load.connections, 1) where failure == nil {
      now = started
      var record = WorkstationCallRecord(time: now, host: load.call.host, path: load.call.path, outcome: .dialFailed(""))
      switch dialGateway(load.call, record: &record) {
      case .success(let link):
        gateway = (link.pod, (gateway?.links ?? []) + [link])
      case .failure(let reason):
        failure = reason
      }
      ready = max(ready, now)
    }
    now = ready
    var report = WorkstationLoadReport(started: started, finished: now, calls: [])
    if let gateway, failure == nil {
      report.calls = carry(load, over: gateway.links, at: gateway.pod, workers: count, since: started)
    } else {
      report.calls = failAll(load, workers: count, since: started, failure ?? .failed("EOF"))
    }
    report.finished = now
    reconcile()
    return report
  }

  /// The most calls a load makes: a timed load whose connection fails would otherwise fail calls for as
  /// long as it runs, as fast as the workers loop.
  public static let workstationLoadLimit = 100_000

  /// The workers' calls over the gateway's connections, on the data plane's event queue.
  private mutating func carry(
    _ load: WorkstationLoad, over links: [GatewayConnection], at pod: Pod, workers: Int, since started: SimTime
  ) -> [LoadCall] {
    let uid = pod.metadata.uid ?? ""
    let me = serverEnd(of: pod)
    var proxy = runtimes[uid]?.proxy ?? EnvoyProxy(firstConnectionID: 1, debugLog: nil)
    var channels = links.map { gatewayChannel(for: load.call, over: $0, at: me, proxy: &proxy) }
    let runID = telemetry.clientRuns.count + 1
    let firstCall = telemetry.callCount
    let ready = now
    let calls = ClientLoad(
      message: .greeting(telemetry.callNamePrefix(load.call.name)),
      threads: .shared(ClientLoad.Workers(count: workers, total: load.callLimit)), stopsAtFirstFailure: false,
      pause: .microseconds(5)...(.microseconds(20)), interval: load.interval, until: load.duration.map { started + $0 }, reports: true)
    var result = runCalls(calls, on: &channels, proxy: &proxy, from: pod, me: me, runID: runID).calls
    runtimes[uid]?.proxy = proxy
    telemetry.record(ClientRun(
      id: runID, client: PodRef(namespace: pod.metadata.namespace ?? "", name: pod.metadata.name), started: started,
      finished: now, calls: firstCall..<telemetry.callCount, origin: .loadTool("ghz")))
    // Each worker's first call began as the worker started, before the connections were ready, and waited
    // for them; with a rate, only the call of the pacer's first tick did.
    var first = Set<Int>()
    for index in result.indices where first.insert(result[index].thread).inserted && (load.rate == nil || result[index].started == ready) {
      result[index].duration = result[index].duration + (result[index].started - started)
      result[index].started = started
    }
    return result
  }

  /// Every call of a load whose connection failed. The first call of each worker waits for the attempt and
  /// fails with its reason; the channel then backs off, and later calls fail at once with the same reason.
  /// When nothing answers, each call waits out its timeout.
  private mutating func failAll(_ load: WorkstationLoad, workers: Int, since started: SimTime, _ failure: GatewayDialFailure) -> [LoadCall] {
    let (status, message) = Self.grpcStatus(of: failure)
    let until = load.duration.map { started + $0 }
    var left = load.callLimit
    var calls: [LoadCall] = []
    var queue = EventQueue<Int>()
    let firstEnd = failure == .timedOut ? started + load.timeout : now
    // The pacer of a load with a rate: each call takes its next tick.
    let interval = load.interval
    var tick = started
    func paced(_ time: SimTime) -> SimTime {
      guard let interval else { return time }
      defer { tick = tick + interval }
      return max(time, tick)
    }
    for worker in 0..<workers { queue.schedule(worker, at: paced(started)) }
    while left > 0, let (time, worker) = queue.next() {
      if let until, time >= until { continue }
      left -= 1
      let end = failure == .timedOut ? time + load.timeout : max(firstEnd, time + random.network.duration(in: .microseconds(10)...(.microseconds(30))))
      calls.append(LoadCall(thread: worker, started: time, duration: end - time, status: status, message: message, http: nil))
      queue.schedule(worker, at: paced(end + random.network.duration(in: .microseconds(5)...(.microseconds(20)))))
      now = max(now, end)
    }
    calls.sort { ($0.started + $0.duration, $0.thread) < ($1.started + $1.duration, $1.thread) }
    return calls
  }

  /// The status and text grpc-go gives a call on a connection that failed: Unavailable with the
  /// transport's error, or DeadlineExceeded when nothing answered before the call's timeout.
  private static func grpcStatus(of failure: GatewayDialFailure) -> (GRPCStatusCode, String) {
    switch failure {
    case .timedOut:
      return (.deadlineExceeded, "context deadline exceeded")
    case .unusable(let reason):
      return (.unavailable, "connection error: desc = \"\(reason)\"")
    case .failed(let reason) where reason.hasPrefix("dial tcp"):
      return (.unavailable, "connection error: desc = \"transport: Error while dialing: \(reason)\"")
    case .failed(let reason):
      let wrapped = reason.hasPrefix("x509:") ? "tls: failed to verify certificate: " + reason : reason
      return (.unavailable, "connection error: desc = \"transport: authentication handshake failed: \(wrapped)\"")
    case .refused(let refusal):
      let alert = switch refusal {
      case .missing: "certificate required"
      case .untrusted(let rejection): rejection.alert
      }
      return (.unavailable, "connection error: desc = \"error reading server preface: remote error: tls: \(alert)\"")
    }
  }
}
