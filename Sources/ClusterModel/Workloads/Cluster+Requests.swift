extension Cluster {
  /// Sends an HTTP request from inside `pod` into the data plane and runs the simulation until it is answered.
  ///
  /// This is the single entry point for traffic from outside the model: everything the request causes
  /// (connections, gRPC calls, logs) is recorded in `telemetry`, and the clock ends when the reply arrives.
  ///
  /// - Throws: `ClusterError.notFound` when the pod does not exist.
  public mutating func send(_ request: HTTPRequest, from pod: PodRef, tool: String = "curl") throws(ClusterError) -> RequestOutcome {
    guard let source = store.pod(pod) else { throw .notFound(.pod, name: pod.name) }
    let addresses = resolve(request.host, from: pod.namespace)
    guard let ip = addresses.first else { return .unresolvedHost(request.host) }
    let target: Pod
    let port: Int
    if ip == "127.0.0.1" {
      if request.port == EnvoyProxy.adminPort, let stats = proxyStats(of: pod) {
        return .response(Self.envoyAdmin(request, stats: stats), elapsed: .microseconds(400))
      }
      guard network.listens(source, on: request.port) else { return .connectionRefused(host: request.host, port: request.port) }
      (target, port) = (source, request.port)
    } else {
      guard case .connected(let pod, let address, _) = dial(SocketAddress(ip: ip, port: request.port)) else {
        return .connectionRefused(host: request.host, port: request.port)
      }
      (target, port) = (pod, address.port)
    }
    if runsHTTPBin(target) {
      return try fetch(request, from: pod, tool: tool)
    }
    guard port == GreeterApp.httpPort else { return .emptyReply }
    let start = now
    let response = serveGreeterHTTP(request, on: target)
    let elapsed = now - start
    reconcile()
    return .response(response, elapsed: elapsed)
  }

  /// Whether the pod runs httpbin (the request reached a port something listens on, so httpbin's).
  private func runsHTTPBin(_ pod: Pod) -> Bool {
    pod.spec.containers.contains { $0.image.flatMap(ContainerImage.lookup)?.behaviour == .httpbin }
  }

  /// One HTTP/1.1 request through the data plane, as a load of one call: through the pod's sidecar when it has one.
  private mutating func fetch(_ request: HTTPRequest, from pod: PodRef, tool: String) throws(ClusterError) -> RequestOutcome {
    var load = GRPCLoad(
      tool: tool, host: request.host, port: request.port, method: .http(method: request.method, path: request.path), calls: [1],
      interval: nil, duration: nil)
    load.keepsResponses = true
    load.userAgent = request.userAgent
    let report = try run(load, from: pod)
    switch report.channelError {
    case .unresolved(let host): return .unresolvedHost(host)
    case .refused: return .connectionRefused(host: request.host, port: request.port)
    case .closed: return .emptyReply
    case nil: break
    }
    guard let response = report.responses.first else { return .emptyReply }
    return .response(response, elapsed: report.finished - report.started)
  }

  /// The greeter's REST resource: `GET /hello` and `GET /hello/grpc`.
  private mutating func serveGreeterHTTP(_ request: HTTPRequest, on pod: Pod) -> HTTPResponse {
    now = now + random.network.duration(in: .microseconds(300)...(.microseconds(900)))
    return GreeterApp.restReply(method: request.method, path: request.path) ?? runGreeterClient(in: pod)
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
    var proxy = runtimes[uid]?.proxy ?? EnvoyProxy(firstConnectionID: 1, debugLog: nil)
    if config.numRequest > 0 {
      now = now + random.network.duration(in: .milliseconds(2)...(.milliseconds(6)))
      let time = now
      switch openChannel(from: pod, to: config.host, port: GreeterApp.grpcPort, proxy: &proxy) {
      case .success(let opened):
        var channels = [opened]
        let load = ClientLoad(
          message: .hello(prefix: telemetry.callNamePrefix(config.testString)),
          threads: .own(calls: [config.numRequest], reconnectsAfterFailure: false), stopsAtFirstFailure: true,
          pause: .microseconds(150)...(.microseconds(450)))
        failure = runCalls(load, on: &channels, proxy: &proxy, from: pod, me: me, runID: runID).failure
        channel = channels[0]
      case .failure(let error):
        let (description, causes) = Self.grpcJavaWords(for: error, host: config.host)
        failure = CallFailure(status: .unavailable, message: description, causes: causes)
        telemetry.record(CallEntry(
          run: runID, index: 0, client: me.keys.pod, connection: nil, stream: nil, server: nil,
          method: telemetry.key(GreeterApp.method), started: time, finished: now, status: .unavailable,
          message: telemetry.key(description)))
      }
    }
    if let channel { closeChannel(channel, after: .microseconds(200)...(.microseconds(600)), proxy: &proxy) }
    if pod.hasSidecar { runtimes[uid]?.proxy = proxy }
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
      origin: .helloEndpoint(httpStatus: response.status)))
    return response
  }

  /// How grpc-java describes a channel that could not connect: the status description and the `Caused by:`
  /// lines of the stack trace.
  private static func grpcJavaWords(for error: ChannelError, host: String) -> (description: String, causes: [String]) {
    switch error {
    case .unresolved(let host):
      ("Unable to resolve host \(host)", [
        "Caused by: java.lang.RuntimeException: java.net.UnknownHostException: \(host): Name or service not known",
        "Caused by: java.net.UnknownHostException: \(host): Name or service not known",
      ])
    case .refused(let destination):
      ("io exception", [
        "Caused by: io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: \(host)/\(destination)",
        "Caused by: java.net.ConnectException: Connection refused",
      ])
    case .closed:
      ("Network closed for unknown reason", [])
    }
  }

  /// Resolves `host` (unless the client kept the address it `resolved` before) and opens a channel's one
  /// connection to `port`: through kube-proxy, or, when the pod has a sidecar, to the sidecar that iptables
  /// redirects it to. The channel carries gRPC, or HTTP/1.1 requests of `httpMethod`.
  mutating func openChannel(
    from pod: Pod, to host: String, port: Int, path: String = GreeterApp.method, userAgent: String = grpcUserAgent,
    httpMethod: String? = nil, resolved: String? = nil, proxy: inout EnvoyProxy
  ) -> Result<Channel, ChannelError> {
    guard let ip = resolved ?? lookUp(host, from: pod) else { return .failure(.unresolved(host)) }
    let destination = SocketAddress(ip: ip, port: port)
    let clientRef = PodRef(namespace: pod.metadata.namespace ?? "", name: pod.metadata.name)
    let source = SocketAddress(ip: pod.status?.podIP ?? "", port: ephemeralPort())
    let server: PodRef
    let serverAddress: SocketAddress
    var decision: KubeProxyDecision?
    if pod.hasSidecar {
      now = now + random.network.duration(in: .microseconds(50)...(.microseconds(150)))
      (server, serverAddress) = (clientRef, SocketAddress(ip: pod.status?.podIP ?? "", port: 15001))
    } else {
      guard case .connected(let target, let address, let choice) = dial(destination) else {
        return .failure(.refused(destination))
      }
      now = now + oneWayLatency() + oneWayLatency() + random.network.duration(in: .microseconds(200)...(.microseconds(500)))
      if target.hasSidecar && inboundMTLSMode(of: target) == .strict {
        return .failure(.closed)
      }
      (server, serverAddress, decision) = (PodRef(namespace: target.metadata.namespace ?? "", name: target.metadata.name), address, choice)
    }
    let id = telemetry.nextConnectionID
    telemetry.open(ConnectionRecord(
      id: id, client: clientRef, opener: greeterContainer(of: pod), source: source, destination: destination,
      server: server, serverAddress: serverAddress, kubeProxy: decision, envoyCluster: nil, mtls: false, opened: now, closed: nil))
    var channel = Channel(
      connection: id, authority: "\(host):\(port)", destination: destination, source: source,
      viaSidecar: pod.hasSidecar, envoyConnection: 0, worker: 0)
    if pod.hasSidecar {
      channel.envoyConnection = proxy.takeConnectionID()
      channel.worker = Int(random.envoy.next() % UInt64(EnvoyProxy.workerThreads.count))
    }
    channel.path = path
    channel.userAgent = userAgent
    channel.method = httpMethod
    channel.accessLogs = accessLogEnabled
    channel.keys = telemetry.keys(of: channel)
    return .success(channel)
  }

  /// The first address DNS gives `host` for a client in `pod`, after the time the lookup takes.
  mutating func lookUp(_ host: String, from pod: Pod) -> String? {
    now = now + random.network.duration(in: .microseconds(800)...(.milliseconds(3)))
    return resolve(host, from: pod.metadata.namespace ?? "").first
  }

  /// Why a gRPC channel could not connect.
  public enum ChannelError: Error, Equatable, Sendable {
    /// DNS has no address for the host.
    case unresolved(String)
    /// Nothing listens at the address the client dialled.
    case refused(SocketAddress)
    /// The server's sidecar accepts only mutual TLS and closed the plain-text connection.
    case closed
  }

  /// How long a packet takes between two pods: 60–250 µs.
  mutating func oneWayLatency() -> SimDuration {
    random.network.duration(in: .microseconds(60)...(.microseconds(250)))
  }

  /// The name of the container that runs the greeter in `pod`.
  func greeterContainer(of pod: Pod) -> String {
    if let name = runtimes[pod.metadata.uid ?? ""]?.appContainer { return name }
    return pod.spec.containers.first { $0.image.flatMap(ContainerImage.lookup)?.behaviour == .quarkusGreeter }?.name ?? ""
  }
}
