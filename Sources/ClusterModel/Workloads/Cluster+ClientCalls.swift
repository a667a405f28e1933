/// What a client workload sends: one or more app threads, each on its own gRPC channel, each sending its
/// next call when the previous one is answered.
struct ClientLoad {
  /// What every call carries.
  enum Message {
    /// `SayHello`, named `prefix` and the call's number in the run.
    case hello(prefix: Interned<String>)
    case healthCheck
    case ping
  }

  var message: Message
  /// The calls each thread makes, one entry per thread and channel.
  var calls: [Int]
  /// The thread stops at its first failed call, as a blocking stub's loop does.
  var stopsAtFirstFailure: Bool
  /// How long a thread takes between a reply and its next call.
  var pause: ClosedRange<SimDuration>
  /// Time between the starts of a thread's calls, when the thread keeps a rate: it sends its next call
  /// when it falls due, or at once when it is behind.
  var interval: SimDuration?
  /// When the threads start no more calls.
  var until: SimTime?
  /// Whether the run returns each call's time and status, as a load tool reports them.
  var reports = false

  func message(_ index: Int) -> CallMessage {
    switch message {
    case .hello(let prefix): .hello(CallName(prefix: prefix, number: index))
    case .healthCheck: .healthCheck
    case .ping: .ping
    }
  }
}

/// What a client run leaves its caller.
struct ClientRunResult {
  /// The first failure of a thread that stops at it.
  var failure: CallFailure?
  /// Each call, in the order they ended, when the load asked for them.
  var calls: [LoadCall] = []
}

/// A call on the wire: where it goes and how it got there. How a client's sidecar carried it, which
/// only calls through a sidecar have, travels beside it as an `UpstreamDispatch`.
struct InFlight {
  var stream: Int
  var server: ServerNumbers
  var sent: SimTime
  var message: CallMessage
  var requestID: RequestID?
  /// The trace the client's sidecar started for the call.
  var trace = TraceID(high: 0, low: 0)
}

/// Why a call failed, as grpc-java's `StatusRuntimeException` reports it.
struct CallFailure {
  var status: GRPCStatusCode
  var message: String
  /// `Caused by:` lines of the stack trace.
  var causes: [String]
}

extension Cluster {
  /// One app thread of a client run: its channel and the call it has out.
  private struct Caller {
    var channel: Channel
    /// Calls the thread has still to start.
    var remaining: Int
    var nextStream = 1
    /// The pod at the other end of a channel that does not go through a sidecar.
    var pinned: ServerNumbers?
    /// When the thread's next call falls due, when it keeps a rate.
    var due = SimTime(nanoseconds: 0)
    /// The call out, its number in the run, and where the client's sidecar put it: on an upstream
    /// connection, or in a pool's queue.
    var call: InFlight?
    var index = 0
    var upstream: UpstreamDispatch?
    var queued: PoolRequest?
  }

  /// Events of a client run, by the number of the thread they concern.
  private enum ClientEvent {
    /// The thread sends its next call.
    case invoke(Int)
    /// The thread's call reaches the server.
    case arrive(Int)
    /// The reply reaches the thread.
    case reply(Int)
    /// A connection the client's sidecar opened for its queued streams finished its handshakes.
    case connected(PendingConnection, cluster: Int, pool: PoolKey)
  }

  /// Runs the load's threads over `channels` (one each) on the simulated clock: the event queue holds
  /// every call in flight, so calls of different threads overlap, meet the sidecar's circuit breakers
  /// and wait in its pools' queues as Envoy's do.
  ///
  /// The model takes one step at a time: a step that takes time (a connection's handshake) delays the
  /// events that fall due meanwhile.
  ///
  mutating func runCalls(
    _ load: ClientLoad, on channels: inout [Channel], proxy: inout EnvoyProxy, from pod: Pod, me: ServerEnd, runID: Int
  ) -> ClientRunResult {
    var callers = zip(channels, load.calls).map { Caller(channel: $0, remaining: $1) }
    defer { channels = callers.map(\.channel) }
    var queue = EventQueue<ClientEvent>()
    /// Threads whose call waits in a pool's queue, in the order they joined it.
    var parked: [Int] = []
    var nextIndex = 0
    var result = ClientRunResult()
    let methods = callers.map { telemetry.intern($0.channel.path) }

    func fail(_ caller: Int, stream: Int, sent: SimTime, _ reply: SidecarFailure) {
      let channel = callers[caller].channel
      telemetry.record(CallRecord(
        run: runID, index: callers[caller].index, client: me.ref, connection: channel.connection,
        stream: stream, server: nil, method: channel.path, started: sent, finished: now, status: reply.grpcStatus,
        message: reply.message, requestID: reply.requestID,
        upstream: UpstreamCall(
          connection: nil, newConnection: false, cluster: reply.cluster, mtls: false, responseFlags: reply.local.responseFlags)))
      callers[caller].call = nil
      if load.reports { result.calls.append(LoadCall(
          thread: caller, started: sent, duration: now - sent, status: reply.grpcStatus, message: reply.message)) }
      if load.stopsAtFirstFailure {
        result.failure = result.failure ?? CallFailure(status: reply.grpcStatus, message: reply.message, causes: [])
      } else {
        next(caller)
      }
    }
    func next(_ caller: Int) {
      guard callers[caller].remaining > 0 else { return }
      let time: SimTime
      if let interval = load.interval {
        callers[caller].due = callers[caller].due + interval
        time = max(now, callers[caller].due)
      } else {
        time = now + rng.duration(in: load.pause)
      }
      if let until = load.until, time >= until { return }
      queue.schedule(.invoke(caller), at: time)
    }
    func sendOn(_ caller: Int) {
      queue.schedule(.arrive(caller), at: now + oneWayLatency() + rng.duration(in: .microseconds(60)...(.microseconds(200))))
    }
    func wait(_ caller: Int, _ request: PoolRequest, for connection: PendingConnection?) {
      callers[caller].queued = request
      if !parked.contains(caller) { parked.append(caller) }
      if let connection {
        queue.schedule(.connected(connection, cluster: request.cluster, pool: request.pool), at: connection.connectsAt)
      }
    }
    /// The pool's queued streams, first come first served, try again for a connection.
    func resume(cluster: Int, pool: PoolKey) {
      for caller in parked {
        guard let request = callers[caller].queued, let call = callers[caller].call,
          request.cluster == cluster, request.pool == pool
        else { continue }
        do throws(SidecarFailure) {
          switch try resumeQueued(call, request, from: pod, channel: callers[caller].channel, proxy: &proxy) {
          case .dispatched(let dispatch):
            callers[caller].upstream = dispatch
            if dispatch.isTCP { callers[caller].channel.tcpUpstream = dispatch }
            sendOn(caller)
          case .queued(let request, let connection):
            wait(caller, request, for: connection)
            guard connection != nil else { return }
            continue
          }
        } catch let reply {
          fail(caller, stream: call.stream, sent: call.sent, reply)
        }
        callers[caller].queued = nil
        parked.removeAll { $0 == caller }
      }
    }

    for caller in callers.indices where callers[caller].remaining > 0 {
      callers[caller].due = now
      queue.schedule(.invoke(caller), at: now)
    }
    while let (time, event) = queue.next() {
      now = max(now, time)
      switch event {
      case .invoke(let caller):
        let index = nextIndex
        nextIndex += 1
        callers[caller].index = index
        callers[caller].remaining -= 1
        let stream = callers[caller].nextStream
        callers[caller].nextStream += 2
        let message = load.message(index)
        if callers[caller].channel.viaSidecar {
          let sent = now
          now = now + rng.duration(in: .microseconds(20)...(.microseconds(80)))
          do throws(SidecarFailure) {
            let (call, outcome) = try sendThroughSidecar(
              message, stream: stream, sent: sent, from: pod, channel: &callers[caller].channel, proxy: &proxy)
            callers[caller].call = call
            switch outcome {
            case .dispatched(let upstream):
              callers[caller].upstream = upstream
              sendOn(caller)
            case .queued(let request, let connection):
              wait(caller, request, for: connection)
            }
          } catch let reply {
            fail(caller, stream: stream, sent: sent, reply)
          }
        } else {
          if callers[caller].pinned == nil {
            callers[caller].pinned = telemetry.connection(callers[caller].channel.connection).flatMap { store.pod($0.server) }
              .map { serverEnd(of: $0).numbers }
          }
          guard let server = callers[caller].pinned else { continue }
          callers[caller].call = InFlight(stream: stream, server: server, sent: time, message: message, requestID: nil)
          queue.schedule(.arrive(caller), at: now + oneWayLatency())
        }
      case .arrive(let caller):
        guard let call = callers[caller].call else { continue }
        if case .hello(let name) = call.message {
          telemetry.appendReceived(call.server.appLog, at: now, name: name, thread: callers[caller].index % 2)
        }
        let service = rng.duration(in: .microseconds(400)...(.microseconds(1_600)))
        queue.schedule(.reply(caller), at: now + service + oneWayLatency())
      case .reply(let caller):
        guard let call = callers[caller].call.take() else { continue }
        let upstream = callers[caller].upstream.take()
        if let upstream {
          finishThroughSidecar(call, upstream: upstream, from: pod, client: me, channel: &callers[caller].channel, proxy: &proxy)
        } else if call.server.sidecar {
          logInbound(call: call, channel: callers[caller].channel)
        }
        if case .hello(let name) = call.message {
          telemetry.appendReply(me.appLog, at: now, name: name)
        }
        let (status, text) = call.message.answer
        if load.reports { result.calls.append(LoadCall(
          thread: caller, started: call.sent, duration: now - call.sent, status: status, message: text)) }
        telemetry.record(StoredCall(
          run: runID, index: callers[caller].index, client: me.numbers.pod, connection: callers[caller].channel.connection,
          stream: call.stream, server: call.server.pod, method: methods[caller], started: call.sent, finished: now, status: status,
          message: text.isEmpty ? .empty : telemetry.intern(text), requestID: call.requestID,
          upstream: upstream.map {
            StoredUpstream(
              connection: $0.record, newConnection: $0.newConnection,
              cluster: $0.route.cluster, mtls: $0.mtls, responseFlags: .dash)
          },
          serverSidecar: call.server.sidecar))
        if let upstream, !parked.isEmpty { resume(cluster: upstream.cluster, pool: upstream.pool) }
        next(caller)
      case .connected(let connection, let cluster, let pool):
        connectionReady(connection.envoyID, cluster: cluster, pool: pool, proxy: &proxy)
        resume(cluster: cluster, pool: pool)
      }
    }
    return result
  }
}
