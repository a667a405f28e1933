extension Cluster {
  /// Sends an HTTP request from inside `pod` into the data plane and runs the simulation until it is answered.
  ///
  /// This is the single entry point for traffic from outside the model: everything the request causes
  /// (connections, gRPC calls, logs) is recorded in `telemetry`, and the clock ends when the reply arrives.
  ///
  /// - Throws: `ClusterError.notFound` when the pod does not exist.
  public mutating func send(_ request: HTTPRequest, from pod: PodRef) throws(ClusterError) -> RequestOutcome {
    guard let source = store.pod(pod) else { throw .notFound(.pod, name: pod.name) }
    let addresses = resolve(request.host, from: pod.namespace)
    guard let ip = addresses.first else { return .unresolvedHost(request.host) }
    let target: Pod
    let port: Int
    if ip == "127.0.0.1" {
      guard listens(source, on: request.port) else { return .connectionRefused(host: request.host, port: request.port) }
      (target, port) = (source, request.port)
    } else {
      guard case .connected(let pod, let address, _) = dial(SocketAddress(ip: ip, port: request.port)) else {
        return .connectionRefused(host: request.host, port: request.port)
      }
      (target, port) = (pod, address.port)
    }
    guard port == GreeterApp.httpPort else { return .emptyReply }
    let start = now
    let response = serveGreeterHTTP(request, on: target)
    let elapsed = now - start
    reconcile()
    return .response(response, elapsed: elapsed)
  }

  /// The greeter's REST resource: `GET /hello` and `GET /hello/grpc`.
  private mutating func serveGreeterHTTP(_ request: HTTPRequest, on pod: Pod) -> HTTPResponse {
    let text = [HTTPHeader("content-type", "text/plain;charset=UTF-8")]
    now = now + rng.duration(in: .microseconds(300)...(.microseconds(900)))
    switch (request.method, request.path) {
    case ("GET", "/hello"):
      return HTTPResponse(status: 200, headers: text, body: "Hello from RESTEasy Reactive")
    case ("GET", "/hello/grpc"):
      return runGreeterClient(in: pod)
    case (_, "/hello"), (_, "/hello/grpc"):
      return HTTPResponse(status: 405, headers: [], body: "")
    default:
      return HTTPResponse(status: 404, headers: [], body: "")
    }
  }

  /// Events of one client run: the blocking stub's loop over a single channel.
  private enum ClientEvent {
    /// The app invokes call `index` on the channel.
    case invoke(Int)
    /// The request of call `index` reaches the server.
    case arrive(Int)
    /// The reply of call `index` reaches the client.
    case reply(Int)
  }

  /// A call on the wire: where it goes and how it got there. How a client's sidecar carried it, which
  /// only calls through a sidecar have, travels beside it as an `UpstreamDispatch`.
  struct InFlight {
    var stream: Int
    var server: ServerNumbers
    var sent: SimTime
    /// The `name` of the call's `HelloRequest`.
    var name: CallName
    var requestID: RequestID?
    /// The trace the client's sidecar started for the call.
    var trace = TraceID(high: 0, low: 0)
  }

  /// `MyClient.makeMultipleRequests`: one channel (pick_first), `numrequest` sequential `SayHello` calls.
  ///
  /// Without a sidecar the channel's one connection goes through kube-proxy and every call rides it to
  /// the same pod. With a sidecar the connection ends at the pod's own Envoy, which routes and balances
  /// each call on its own and carries it over its upstream pools.
  private mutating func runGreeterClient(in pod: Pod) -> HTTPResponse {
    let client = PodRef(namespace: pod.metadata.namespace ?? "", name: pod.metadata.name)
    let uid = pod.metadata.uid ?? ""
    guard let config = runtimes[uid]?.config else { return HTTPResponse(status: 500, headers: [], body: "") }
    let me = serverEnd(of: pod)
    let runID = telemetry.clientRuns.count + 1
    let firstCall = telemetry.callCount
    let started = now
    var failure: CallFailure?
    var channel: Channel?
    if config.numRequest > 0 {
      now = now + rng.duration(in: .milliseconds(2)...(.milliseconds(6)))
      let time = now
      switch openChannel(from: pod, to: config.host) {
      case .success(var opened):
        opened.accessLogs = accessLogEnabled
        failure = runCalls(on: &opened, from: pod, me: me, client: client, runID: runID, config: config)
        channel = opened
      case .failure(let error):
        failure = CallFailure(status: .unavailable, message: error.description, causes: error.causes)
        telemetry.record(CallRecord(
          run: runID, index: 0, client: client, connection: nil, stream: nil, server: nil,
          method: GreeterApp.method, started: time, finished: now, status: .unavailable, message: error.description))
      }
    }
    if let channel {
      now = now + rng.duration(in: .microseconds(200)...(.microseconds(600)))
      telemetry.closeConnection(channel.connection, at: now)
      closeSidecarSide(of: channel, from: pod)
    }
    let response: HTTPResponse
    if let failure {
      runtimes[uid, default: PodRuntime(phase: .running(since: now))].errorCount += 1
      let errorID = "\(runtimes[uid]?.errorIDPrefix ?? "")-\(runtimes[uid]?.errorCount ?? 1)"
      let thread = "executor-thread-1"
      let status = failure.message.isEmpty ? failure.status.name : "\(failure.status.name): \(failure.message)"
      let message = "HTTP Request to /hello/grpc failed, error id: \(errorID): io.grpc.StatusRuntimeException: \(status)"
      for line in [GreeterApp.line(now, "ERROR", "io.qua.ver.htt.run.QuarkusErrorHandler", thread, message)] + [
        "\tat io.grpc.stub.ClientCalls.toStatusRuntimeException(ClientCalls.java:268)",
        "\tat io.grpc.stub.ClientCalls.getUnchecked(ClientCalls.java:249)",
        "\tat io.grpc.stub.ClientCalls.blockingUnaryCall(ClientCalls.java:167)",
        "\tat org.acme.MyClient.makeMultipleRequests(MyClient.java:38)",
      ] + failure.causes {
        telemetry.appendLog(me.appLog, at: now, line)
      }
      response = HTTPResponse(
        status: 500, headers: [HTTPHeader("content-type", "application/json; charset=utf-8")],
        body: "{\"details\":\"Error id \(errorID)\",\"stack\":\"\"}")
    } else {
      response = HTTPResponse(status: 200, headers: [HTTPHeader("content-type", "text/plain;charset=UTF-8")], body: "Hello")
    }
    telemetry.record(ClientRun(
      id: runID, client: client, started: started, finished: now, calls: firstCall..<telemetry.callCount,
      httpStatus: response.status))
    return response
  }

  /// Why a call failed, as grpc-java's `StatusRuntimeException` reports it.
  private struct CallFailure {
    var status: GRPCStatusCode
    var message: String
    /// `Caused by:` lines of the stack trace.
    var causes: [String]
  }

  /// The blocking stub's loop over an open channel: `numrequest` sequential calls, each sent when the
  /// previous reply arrived, until one fails.
  private mutating func runCalls(
    on channel: inout Channel, from pod: Pod, me: ServerEnd, client: PodRef, runID: Int, config: AppConfig
  ) -> CallFailure? {
    var queue = EventQueue<ClientEvent>()
    /// The pod at the other end of a channel that does not go through a sidecar.
    var pinned: ServerNumbers?
    var nextStream = 1
    var pending: InFlight?
    var pendingUpstream: UpstreamDispatch?
    var failure: CallFailure?
    let testString = telemetry.intern(config.testString)
    let method = telemetry.intern(GreeterApp.method)
    queue.schedule(.invoke(0), at: now)
    while let (time, event) = queue.next() {
      now = time
      switch event {
      case .invoke(let index):
        let stream = nextStream
        nextStream += 2
        let name = CallName(prefix: testString, number: index)
        if channel.viaSidecar {
          let sent = now
          now = now + rng.duration(in: .microseconds(20)...(.microseconds(80)))
          do throws(SidecarFailure) {
            (pending, pendingUpstream) = try sendThroughSidecar(name, stream: stream, sent: sent, from: pod, channel: &channel)
            queue.schedule(.arrive(index), at: now + oneWayLatency() + rng.duration(in: .microseconds(60)...(.microseconds(200))))
          } catch let reply {
            failure = CallFailure(status: reply.grpcStatus, message: reply.message, causes: [])
            telemetry.record(CallRecord(
              run: runID, index: index, client: client, connection: channel.connection, stream: stream, server: nil,
              method: GreeterApp.method, started: sent, finished: now, status: reply.grpcStatus, message: reply.message,
              requestID: reply.requestID,
              upstream: UpstreamCall(
                connection: nil, newConnection: false, cluster: reply.cluster, mtls: false, responseFlags: reply.local.responseFlags)))
          }
        } else {
          if pinned == nil {
            pinned = telemetry.connection(channel.connection).flatMap { store.pod($0.server) }.map { serverEnd(of: $0).numbers }
          }
          guard let server = pinned else { continue }
          pending = InFlight(stream: stream, server: server, sent: time, name: name, requestID: nil)
          queue.schedule(.arrive(index), at: now + oneWayLatency())
        }
      case .arrive(let index):
        guard let log = pending?.server.appLog, let name = pending?.name else { continue }
        telemetry.appendReceived(log, at: now, name: name, thread: index % 2)
        let service = rng.duration(in: .microseconds(400)...(.microseconds(1_600)))
        queue.schedule(.reply(index), at: now + service + oneWayLatency())
      case .reply(let index):
        guard let call = pending.take() else { continue }
        let upstream = pendingUpstream.take()
        if let upstream {
          finishThroughSidecar(call, upstream: upstream, from: pod, client: me, channel: &channel)
        } else if call.server.sidecar {
          logInbound(call: call, channel: channel)
        }
        telemetry.appendReply(me.appLog, at: now, name: call.name)
        telemetry.record(StoredCall(
          run: runID, index: index, client: me.numbers.pod, connection: channel.connection, stream: call.stream,
          server: call.server.pod, method: method, started: call.sent, finished: now, status: .ok, message: .empty,
          requestID: call.requestID,
          upstream: upstream.map {
            StoredUpstream(
              connection: $0.record, newConnection: $0.newConnection,
              cluster: $0.route.cluster, mtls: $0.mtls, responseFlags: .dash)
          },
          serverSidecar: call.server.sidecar))
        if index + 1 < config.numRequest {
          queue.schedule(.invoke(index + 1), at: now + rng.duration(in: .microseconds(150)...(.microseconds(450))))
        }
      }
    }
    return failure
  }

  /// Why a gRPC channel could not connect, in grpc-java's words.
  private struct ChannelError: Error {
    var description: String
    var causes: [String]
  }

  /// Resolves `host` and opens the channel's one HTTP/2 connection to port 9000: through kube-proxy, or,
  /// when the pod has a sidecar, to the sidecar that iptables redirects it to.
  private mutating func openChannel(from pod: Pod, to host: String) -> Result<Channel, ChannelError> {
    now = now + rng.duration(in: .microseconds(800)...(.milliseconds(3)))
    guard let ip = resolve(host, from: pod.metadata.namespace ?? "").first else {
      return .failure(ChannelError(
        description: "Unable to resolve host \(host)",
        causes: [
          "Caused by: java.lang.RuntimeException: java.net.UnknownHostException: \(host): Name or service not known",
          "Caused by: java.net.UnknownHostException: \(host): Name or service not known",
        ]))
    }
    let destination = SocketAddress(ip: ip, port: GreeterApp.grpcPort)
    let clientRef = PodRef(namespace: pod.metadata.namespace ?? "", name: pod.metadata.name)
    let source = SocketAddress(ip: pod.status?.podIP ?? "", port: ephemeralPort())
    let server: PodRef
    let serverAddress: SocketAddress
    var decision: KubeProxyDecision?
    if pod.hasSidecar {
      now = now + rng.duration(in: .microseconds(50)...(.microseconds(150)))
      (server, serverAddress) = (clientRef, SocketAddress(ip: pod.status?.podIP ?? "", port: 15001))
    } else {
      guard case .connected(let target, let address, let choice) = dial(destination) else {
        return .failure(ChannelError(
          description: "io exception",
          causes: [
            "Caused by: io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: \(host)/\(destination)",
            "Caused by: java.net.ConnectException: Connection refused",
          ]))
      }
      now = now + oneWayLatency() + oneWayLatency() + rng.duration(in: .microseconds(200)...(.microseconds(500)))
      if target.hasSidecar && inboundMTLSMode(of: target) == .strict {
        return .failure(ChannelError(description: "Network closed for unknown reason", causes: []))
      }
      (server, serverAddress, decision) = (PodRef(namespace: target.metadata.namespace ?? "", name: target.metadata.name), address, choice)
    }
    let id = telemetry.nextConnectionID
    telemetry.open(ConnectionRecord(
      id: id, client: clientRef, opener: greeterContainer(of: pod), source: source, destination: destination,
      server: server, serverAddress: serverAddress, kubeProxy: decision, envoyCluster: nil, mtls: false, opened: now, closed: nil))
    var channel = Channel(
      connection: id, authority: "\(host):\(GreeterApp.grpcPort)", destination: destination, source: source,
      viaSidecar: pod.hasSidecar, envoyConnection: 0, worker: 0)
    if pod.hasSidecar {
      let uid = pod.metadata.uid ?? ""
      channel.proxy = runtimes[uid]?.proxy ?? EnvoyProxy(firstConnectionID: 1, debugLog: nil)
      runtimes[uid]?.proxy = nil
      channel.envoyConnection = channel.proxy.takeConnectionID()
      channel.worker = Int(rng.next() % UInt64(EnvoyProxy.workerThreads.count))
    }
    channel.names = telemetry.names(of: channel)
    return .success(channel)
  }

  /// How long a packet takes between two pods: 60–250 µs.
  mutating func oneWayLatency() -> SimDuration {
    rng.duration(in: .microseconds(60)...(.microseconds(250)))
  }

  /// The name of the container that runs the greeter in `pod`.
  func greeterContainer(of pod: Pod) -> String {
    if let name = runtimes[pod.metadata.uid ?? ""]?.appContainer { return name }
    return pod.spec.containers.first { $0.image.flatMap(ContainerImage.lookup)?.behaviour == .quarkusGreeter }?.name ?? ""
  }
}
