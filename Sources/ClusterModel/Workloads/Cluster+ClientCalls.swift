/// What a client workload sends: one or more app threads, each sending its next call when the previous one
/// is answered, on a channel of its own or on channels the threads share.
struct ClientLoad {
  /// What every call carries.
  enum Message {
    /// `SayHello`, named `prefix` and the call's number in the run; the greeter's client logs each reply.
    case hello(prefix: CallNamePrefix)
    /// `SayHello` with the same name in every call, from a client with no log of its own (ghz's `-d`).
    case greeting(CallNamePrefix)
    case healthCheck
    case ping
    case http
  }

  /// Threads that share the channels and one count of calls, as ghz's workers do.
  struct Workers {
    /// How many threads; thread `i` sends on channel `i % channels`.
    var count: Int
    /// Calls in all, each taken by whichever thread is free.
    var total: Int
  }

  /// Who makes the calls.
  enum Threads {
    /// One thread per channel, each with its own number of calls. With `reconnectsAfterFailure`, a thread
    /// closes its connection after an HTTP reply that is not OK (`FortioApp.isOK`) and opens a new one for
    /// its next request, as fortio's HTTP client does.
    case own(calls: [Int], reconnectsAfterFailure: Bool)
    /// Threads that share the channels and their calls.
    case shared(Workers)
  }

  var message: Message
  var threads: Threads
  /// The thread stops at its first failed call, as a blocking stub's loop does.
  var stopsAtFirstFailure: Bool
  /// How long a thread takes between a reply and its next call.
  var pause: ClosedRange<SimDuration>
  /// Time between the starts of a thread's calls, when the thread keeps a rate: it sends its next call
  /// when it falls due, or at once when it is behind. Threads that share their calls (`workers`) share the
  /// rate: one pacer ticks at this interval, and the first free thread takes each tick.
  var interval: SimDuration?
  /// When the threads start no more calls.
  var until: SimTime?
  /// Whether the run returns each call's time and status, as a load tool reports them.
  var reports = false
  /// Whether the run returns the HTTP replies the app read, in the order they ended.
  var keepsResponses = false

  /// The threads that share their calls, when they do.
  var workers: Workers? {
    if case .shared(let workers) = threads { workers } else { nil }
  }

  /// Whether a thread opens a new connection after an HTTP reply that is not OK.
  var reconnectsAfterFailure: Bool {
    if case .own(_, let reconnects) = threads { reconnects } else { false }
  }

  func message(_ index: Int) -> CallMessage {
    switch message {
    case .hello(let prefix): .named(prefix, number: index)
    case .greeting(let name): .named(name, number: nil)
    case .healthCheck: .healthCheck
    case .ping: .ping
    case .http: .http
    }
  }

  /// Whether the client logs each reply, as the greeter's client does.
  var logsReplies: Bool {
    if case .hello = message { true } else { false }
  }
}

/// What a client run leaves its caller.
struct ClientRunResult {
  /// The first failure of a thread that stops at it.
  var failure: CallFailure?
  /// Each call, in the order they ended, when the load asked for them.
  var calls: [LoadCall] = []
  /// The HTTP replies the app read, when the load asked for them.
  var responses: [HTTPResponse] = []
  /// How long each connection a thread opened again took to connect, by thread.
  var reconnects: [Int: [SimDuration]] = [:]
}

/// A call on the wire: where it goes and how it got there. How a client's sidecar carried it, which
/// only calls through a sidecar have, travels beside it as an `UpstreamDispatch`.
struct InFlight {
  var stream: Int
  var sent: SimTime
  /// The trace the client's sidecar started for the call.
  var trace = TraceID(high: 0, low: 0)
  var requestID: RequestID?
  var message: CallMessage
  var server: ServerKeys

  init(
    stream: Int, server: ServerKeys, sent: SimTime, message: CallMessage, requestID: RequestID? = nil, trace: TraceID? = nil
  ) {
    self.stream = stream
    self.sent = sent
    self.requestID = requestID
    self.message = message
    self.server = server
    if let trace { self.trace = trace }
  }

  /// Bytes of the request and of the reply on the wire: an HTTP/1.1 reply's body (`exchange`), or the gRPC
  /// messages.
  func bytes(exchange: HTTPExchange?) -> (request: Int, reply: Int) {
    if let exchange { return (0, exchange.bodyBytes) }
    return message.bytes
  }
}

/// Why a call failed, as grpc-java's `StatusRuntimeException` reports it.
struct CallFailure {
  var status: GRPCStatusCode
  var message: String
  /// `Caused by:` lines of the stack trace.
  var causes: [String]
}

extension Cluster {
  /// Runs the load's threads over `channels` (one each) through `proxy`, the pod's sidecar, on the
  /// simulated clock (`CallScheduler`).
  mutating func runCalls(
    _ load: ClientLoad, on channels: inout [Channel], proxy: inout EnvoyProxy, from pod: Pod, me: ServerEnd, runID: Int
  ) -> ClientRunResult {
    var scheduler = CallScheduler(
      load: load, channels: channels, proxy: proxy, pod: pod, me: me, runID: runID, telemetry: &telemetry)
    channels = []
    proxy = EnvoyProxy(firstConnectionID: 0, debugLog: nil)
    scheduler.run(in: &self)
    channels = scheduler.channels
    proxy = scheduler.proxy
    return scheduler.result
  }
}

/// The event loop of one client run: the event queue holds every call in flight, so calls of different
/// threads overlap, meet the sidecar's circuit breakers and wait in its pools' queues as Envoy's do.
///
/// The model takes one step at a time: a step that takes time (the app handing a call to its sidecar)
/// delays the events that fall due meanwhile.
struct CallScheduler {
  /// Events of a client run, by the number of the thread they concern.
  private enum Event {
    /// The thread sends its next call.
    case invoke(Int)
    /// The thread's call reaches the server.
    case arrive(Int)
    /// The reply reaches the thread.
    case reply(Int)
    /// A connection the sidecar opened for its queued streams finished its handshakes (by its place in
    /// `opened`).
    case connected(Int)
    /// The reply the sidecar made itself to the thread's HTTP/1.1 request reaches the app.
    case localReply(Int)
  }

  /// What a thread keeps between its calls.
  private struct Thread {
    /// Calls the thread has still to start, when it has calls of its own.
    var remaining: Int
    /// The channel it sends on.
    var channel: Int
    /// The number in the run of the thread's current call.
    var index = 0
    /// When its next call falls due, when it keeps a rate.
    var due = SimTime(nanoseconds: 0)
    /// The pod at the other end of a channel that does not go through a sidecar.
    var pinned: ServerKeys?
    /// The thread closed its connection and opens a new one for its next call.
    var reconnects = false
  }

  private let load: ClientLoad
  private let pod: Pod
  private let me: ServerEnd
  private let runID: Int
  /// The threads' channels, and the pod's sidecar they go through.
  private(set) var channels: [Channel]
  /// Calls not yet taken, when the threads share one count (`ClientLoad.workers`).
  private var unclaimed: Int?
  /// The shared pacer's next tick, when the threads share a rate.
  private var tick = SimTime(nanoseconds: 0)
  private(set) var proxy: EnvoyProxy
  private(set) var result = ClientRunResult()
  private var threads: [Thread]
  /// Each thread's call out, and where the sidecar put it: on an upstream connection, or in a pool's queue.
  private var calls: [InFlight?]
  private var upstreams: [UpstreamDispatch?]
  /// The pod at the other end of each thread's channel when it does not go through a sidecar, once pinned.
  private var pinnedPods: [PodRef?]
  private var queued: [PoolRequest?]
  /// The server app's reply to each thread's HTTP/1.1 call, on its way back, and what the data plane
  /// records of it; beside the calls, so that a call stays plain data.
  private var responses: [HTTPResponse?]
  private var exchanges: [HTTPExchange?]
  /// The reply each thread's sidecar made itself to its HTTP/1.1 request, on its way back to the app.
  private var localReplies: [(reply: SidecarFailure, stream: Int, sent: SimTime)?]
  /// Threads whose call waits in a pool's queue, in the order they joined it.
  private var parked: [Int] = []
  /// Connections the sidecar opened for queued streams, with their cluster and pool.
  private var opened: [(connection: PendingConnection, cluster: Int, pool: PoolKey)] = []
  private var queue = EventQueue<Event>()
  private var nextIndex = 0
  /// The key of each channel's calls' `:path`.
  private let methods: [TelemetryKey<String>]

  init(
    load: ClientLoad, channels: [Channel], proxy: EnvoyProxy, pod: Pod, me: ServerEnd, runID: Int, telemetry: inout Telemetry
  ) {
    self.load = load
    self.channels = channels
    self.proxy = proxy
    self.pod = pod
    self.me = me
    self.runID = runID
    switch load.threads {
    case .shared(let workers):
      threads = channels.isEmpty ? [] : (0..<workers.count).map { Thread(remaining: 0, channel: $0 % channels.count) }
      unclaimed = workers.total
    case .own(let calls, _):
      threads = calls.prefix(channels.count).enumerated().map { Thread(remaining: $1, channel: $0) }
    }
    calls = Array(repeating: nil, count: threads.count)
    upstreams = Array(repeating: nil, count: threads.count)
    pinnedPods = Array(repeating: nil, count: threads.count)
    queued = Array(repeating: nil, count: threads.count)
    localReplies = Array(repeating: nil, count: threads.count)
    responses = Array(repeating: nil, count: threads.count)
    exchanges = Array(repeating: nil, count: threads.count)
    methods = channels.map { telemetry.key($0.path) }
  }

  mutating func run(in cluster: inout Cluster) {
    tick = cluster.now
    for thread in threads.indices where hasCallLeft(thread) {
      guard let left = unclaimed else {
        threads[thread].due = cluster.now
        queue.schedule(.invoke(thread), at: cluster.now)
        continue
      }
      let time = tick
      if let interval = load.interval { tick = tick + interval }
      if let until = load.until, time >= until { break }
      unclaimed = left - 1
      queue.schedule(.invoke(thread), at: time)
    }
    while true {
      while let (time, event) = queue.next() {
        cluster.now = max(cluster.now, time)
        switch event {
        case .invoke(let thread): invoke(thread, in: &cluster)
        case .arrive(let thread): arrive(thread, in: &cluster)
        case .reply(let thread): reply(thread, in: &cluster)
        case .connected(let number):
          let (connection, clusterNumber, pool) = opened[number]
          cluster.connectionReady(connection.envoyID, cluster: clusterNumber, pool: pool, proxy: &proxy)
          resume(cluster: clusterNumber, pool: pool, in: &cluster)
        case .localReply(let thread):
          if let (reply, stream, sent) = localReplies[thread].take() { fail(thread, stream: stream, sent: sent, reply, in: &cluster) }
        }
      }
      // Nothing left in flight can free a connection for a queued call: it is given up, and its thread
      // goes on.
      guard let thread = parked.first else { return }
      parked.removeFirst()
      guard let request = queued[thread].take(), let call = calls[thread] else { continue }
      let reply = cluster.giveUp(call, request, from: pod, channel: channels[channel(of: thread)], proxy: &proxy)
      fail(thread, stream: call.stream, sent: call.sent, reply, in: &cluster)
    }
  }

  /// The channel a thread sends on.
  private func channel(of thread: Int) -> Int { threads[thread].channel }

  /// Whether the thread has a call left to start: of its own, or of the count the threads share.
  private func hasCallLeft(_ thread: Int) -> Bool {
    unclaimed.map { $0 > 0 } ?? (threads[thread].remaining > 0)
  }

  /// The thread sends its next call: through the pod's sidecar, or on the connection kube-proxy pinned.
  ///
  /// A thread with calls of its own counts one off as it sends it; threads that share a count took theirs
  /// when they scheduled it, so that none waits for a call another has taken.
  private mutating func invoke(_ thread: Int, in cluster: inout Cluster) {
    let index = nextIndex
    nextIndex += 1
    threads[thread].index = index
    if unclaimed == nil { threads[thread].remaining -= 1 }
    let c = channel(of: thread)
    let message = load.message(index)
    if threads[thread].reconnects {
      threads[thread].reconnects = false
      threads[thread].pinned = nil
      pinnedPods[thread] = nil
      guard reconnect(thread, in: &cluster) else {
        refuseRemaining(thread, in: &cluster)
        return
      }
    }
    let stream = channels[c].nextStream
    channels[c].nextStream += 2
    let sent = cluster.now
    guard channels[c].viaSidecar else {
      if threads[thread].pinned == nil {
        let server = cluster.telemetry.connection(channels[c].connection).flatMap { cluster.store.pod($0.server) }
          .map { cluster.serverEnd(of: $0) }
        threads[thread].pinned = server?.keys
        pinnedPods[thread] = server?.ref
      }
      guard let server = threads[thread].pinned else { return }
      calls[thread] = InFlight(stream: stream, server: server, sent: sent, message: message, requestID: nil)
      queue.schedule(.arrive(thread), at: cluster.now + cluster.oneWayLatency())
      return
    }
    cluster.now = cluster.now + cluster.random.network.duration(in: .microseconds(20)...(.microseconds(80)))
    do throws(SidecarFailure) {
      let (call, outcome) = try cluster.sendThroughSidecar(
        message, stream: stream, sent: sent, from: pod, channel: &channels[c], proxy: &proxy)
      calls[thread] = call
      switch outcome {
      case .dispatched(let upstream):
        upstreams[thread] = upstream
        send(thread, in: &cluster)
      case .queued(let request, let connection):
        wait(thread, request, for: connection)
      }
    } catch let reply {
      refuse(thread, stream: stream, sent: sent, reply, in: &cluster)
    }
  }

  /// The sidecar answered the call itself. On an HTTP/1.1 connection its reply goes through Envoy's
  /// encoder and back over the loopback before the app reads it; a gRPC call fails at once.
  private mutating func refuse(_ thread: Int, stream: Int, sent: SimTime, _ reply: SidecarFailure, in cluster: inout Cluster) {
    guard channels[channel(of: thread)].http1 else { return fail(thread, stream: stream, sent: sent, reply, in: &cluster) }
    localReplies[thread] = (reply, stream, sent)
    queue.schedule(.localReply(thread), at: cluster.now + cluster.random.network.duration(in: .microseconds(100)...(.microseconds(400))))
  }

  /// The call, on its way, reaches the server, which answers after its service time.
  private mutating func arrive(_ thread: Int, in cluster: inout Cluster) {
    guard var call = calls[thread] else { return }
    if case .http = call.message {
      let server = upstreams[thread].map { proxy.hosts[$0.host].server.ref } ?? pinnedPods[thread]
      let (response, spans) = cluster.serveHTTP(
        &call, by: server, channel: channels[channel(of: thread)], upstream: upstreams[thread], from: pod)
      exchanges[thread] = HTTPExchange(status: response.status, bodyBytes: response.body.utf8.count, spans: spans)
      responses[thread] = response
      calls[thread] = call
    }
    if case .hello(let name, _) = call.message {
      cluster.telemetry.appendReceived(call.server.appLog, at: cluster.now, name: name, thread: threads[thread].index % 2)
    }
    let service = cluster.random.network.duration(in: .microseconds(400)...(.microseconds(1_600)))
    queue.schedule(.reply(thread), at: cluster.now + service + cluster.oneWayLatency())
  }

  /// The reply reaches the thread: the sidecar ends the stream, the call is recorded, and the pool's
  /// queued streams try again.
  private mutating func reply(_ thread: Int, in cluster: inout Cluster) {
    guard let call = calls[thread].take() else { return }
    let upstream = upstreams[thread].take()
    let exchange = exchanges[thread].take()
    if let upstream {
      cluster.finishThroughSidecar(
        call, exchange: exchange, upstream: upstream, from: pod, client: me, channel: &channels[channel(of: thread)], proxy: &proxy)
    } else if call.server.sidecar {
      cluster.logInbound(call: call, exchange: exchange, channel: channels[channel(of: thread)])
    }
    if load.logsReplies, case .hello(let name, _) = call.message {
      cluster.telemetry.appendReply(me.appLog, at: cluster.now, name: name)
    }
    var (status, text) = call.message.answer
    var http: HTTPOutcome?
    if exchange != nil, let response = responses[thread].take() {
      let delivered = cluster.deliveredHTTP(
        response, serverSidecar: call.server.sidecar, clientSidecar: upstream != nil,
        upstreamTime: cluster.now - call.sent - .milliseconds(1))
      status = GRPCStatusCode(httpStatus: delivered.status)
      text = status == .ok ? "" : "\(delivered.status) \(delivered.reason)"
      http = HTTPOutcome(delivered)
      if load.keepsResponses { result.responses.append(delivered) }
    }
    if load.reports {
      result.calls.append(LoadCall(
        thread: thread, started: call.sent, duration: cluster.now - call.sent, status: status, message: text, http: http))
    }
    cluster.telemetry.record(CallEntry(
      run: runID, index: threads[thread].index, client: me.keys.pod, connection: channels[channel(of: thread)].connection,
      stream: call.stream, server: call.server.pod, method: methods[channel(of: thread)], started: call.sent, finished: cluster.now,
      status: status, message: text.isEmpty ? .empty : cluster.telemetry.key(text), requestID: call.requestID,
      upstream: upstream.map {
        UpstreamEntry(
          connection: $0.record, newConnection: $0.newConnection, cluster: $0.route.cluster, mtls: $0.mtls, responseFlags: .dash)
      },
      serverSidecar: call.server.sidecar))
    if let upstream, !parked.isEmpty { resume(cluster: upstream.cluster, pool: upstream.pool, in: &cluster) }
    if let http, !FortioApp.isOK(http.status), load.reconnectsAfterFailure { hangUp(thread, in: &cluster) }
    next(thread, in: &cluster)
  }

  /// The call is on an upstream connection: it reaches the server sidecar after the hop.
  private mutating func send(_ thread: Int, in cluster: inout Cluster) {
    queue.schedule(
      .arrive(thread), at: cluster.now + cluster.oneWayLatency() + cluster.random.network.duration(in: .microseconds(60)...(.microseconds(200))))
  }

  /// The thread's next call falls due after its pause, or at its rate; none after `until`.
  private mutating func next(_ thread: Int, in cluster: inout Cluster) {
    guard hasCallLeft(thread) else { return }
    let time: SimTime
    if let interval = load.interval, load.workers != nil {
      time = max(cluster.now, tick)
      tick = tick + interval
    } else if let interval = load.interval {
      threads[thread].due = threads[thread].due + interval
      time = max(cluster.now, threads[thread].due)
    } else {
      time = cluster.now + cluster.random.network.duration(in: load.pause)
    }
    if let until = load.until, time >= until { return }
    if let left = unclaimed { unclaimed = left - 1 }
    queue.schedule(.invoke(thread), at: time)
  }

  /// The call waits in its pool's queue, for the connection the pool opened for it when there is one.
  private mutating func wait(_ thread: Int, _ request: PoolRequest, for connection: PendingConnection?) {
    queued[thread] = request
    if !parked.contains(thread) { parked.append(thread) }
    if let connection {
      opened.append((connection, request.cluster, request.pool))
      queue.schedule(.connected(opened.count - 1), at: connection.connectsAt)
    }
  }

  /// The pool's queued streams, first come first served, try again for a connection.
  private mutating func resume(cluster number: Int, pool: PoolKey, in cluster: inout Cluster) {
    for thread in parked {
      guard let request = queued[thread], let call = calls[thread], request.cluster == number, request.pool == pool else {
        continue
      }
      do throws(SidecarFailure) {
        switch try cluster.resumeQueued(call, request, from: pod, channel: channels[channel(of: thread)], proxy: &proxy) {
        case .dispatched(let dispatch):
          upstreams[thread] = dispatch
          if dispatch.isTCP { channels[channel(of: thread)].tcpUpstream = dispatch }
          send(thread, in: &cluster)
        case .queued(let request, let connection):
          wait(thread, request, for: connection)
          guard connection != nil else { return }
          continue
        }
      } catch let reply {
        refuse(thread, stream: call.stream, sent: call.sent, reply, in: &cluster)
      }
      queued[thread] = nil
      parked.removeAll { $0 == thread }
    }
  }

  /// The thread closes its connection after a reply that was not OK; its next call opens a new one.
  private mutating func hangUp(_ thread: Int, in cluster: inout Cluster) {
    cluster.closeChannel(channels[channel(of: thread)], after: .microseconds(10)...(.microseconds(40)), proxy: &proxy)
    channels[channel(of: thread)].closed = true
    threads[thread].reconnects = true
  }

  /// The thread's connection could not be opened again: the call it was to send fails without a reply, as
  /// fortio records a socket error, and so does each later one of a load of so many calls; a load that
  /// runs for a time stops the thread there.
  private mutating func refuseRemaining(_ thread: Int, in cluster: inout Cluster) {
    guard load.reports else { return threads[thread].remaining = 0 }
    for _ in 0...(load.until == nil ? threads[thread].remaining : 0) {
      result.calls.append(LoadCall(
        thread: thread, started: cluster.now, duration: SimDuration(nanoseconds: 0), status: .unavailable, message: "connection refused",
        http: .socketError))
    }
    threads[thread].remaining = 0
  }

  /// Opens the thread's connection again, to the address it resolved at first; false when it cannot connect.
  private mutating func reconnect(_ thread: Int, in cluster: inout Cluster) -> Bool {
    let old = channels[channel(of: thread)]
    let host = String(old.authority.prefix { $0 != ":" })
    let port = Int(old.authority.drop { $0 != ":" }.dropFirst()) ?? old.destination.port
    let start = cluster.now
    guard case .success(let opened) = cluster.openChannel(
      from: pod, to: host, port: port, path: old.path, userAgent: old.userAgent, httpMethod: old.method,
      resolved: old.destination.ip, proxy: &proxy)
    else { return false }
    channels[channel(of: thread)] = opened
    result.reconnects[thread, default: []].append(cluster.now - start)
    return true
  }

  /// The sidecar answered the call itself: it is recorded as failed, and the thread stops or goes on.
  private mutating func fail(_ thread: Int, stream: Int, sent: SimTime, _ reply: SidecarFailure, in cluster: inout Cluster) {
    let number = channel(of: thread)
    let channel = channels[number]
    cluster.telemetry.record(CallEntry(
      run: runID, index: threads[thread].index, client: me.keys.pod, connection: channel.connection, stream: stream,
      server: nil, method: methods[number], started: sent, finished: cluster.now, status: reply.grpcStatus,
      message: cluster.telemetry.key(reply.message), requestID: reply.requestID,
      upstream: UpstreamEntry(
        connection: nil, newConnection: false, cluster: cluster.telemetry.key(reply.cluster), mtls: false,
        responseFlags: cluster.telemetry.key(reply.local.responseFlags))))
    calls[thread] = nil
    var http: HTTPOutcome?
    if channel.http1 {
      let response = cluster.localHTTPReply(reply.local)
      http = HTTPOutcome(response)
      if load.keepsResponses { result.responses.append(response) }
    }
    if load.reports {
      result.calls.append(LoadCall(
        thread: thread, started: sent, duration: cluster.now - sent, status: reply.grpcStatus, message: reply.message,
        http: http))
    }
    if channel.http1 && load.reconnectsAfterFailure { hangUp(thread, in: &cluster) }
    if load.stopsAtFirstFailure {
      result.failure = result.failure ?? CallFailure(status: reply.grpcStatus, message: reply.message, causes: [])
    } else {
      next(thread, in: &cluster)
    }
  }
}
