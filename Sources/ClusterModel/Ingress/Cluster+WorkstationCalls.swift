extension Cluster {
  /// The router as it stands: where the workstation's connections go.
  var router: Router { Router(store: store, appsDomain: appsDomain) }

  /// Makes a gRPC call from the learner's workstation: DNS, the OpenShift router, and whatever the
  /// route sends the connection to. Time passes on the simulated clock only (a connect timeout too).
  public mutating func callFromWorkstation(_ call: WorkstationCall) -> WorkstationCallOutcome {
    now = now + random.network.duration(in: .milliseconds(1)...(.milliseconds(4)))
    var record = WorkstationCallRecord(time: now, host: call.host, path: call.path, outcome: .dialFailed(""))
    let outcome: WorkstationCallOutcome
    switch dialGateway(call, record: &record) {
    case .success(let connection):
      outcome = call.connectOnly ? .connected : .completed(forwardFromGateway(call, over: connection, record: &record))
    case .failure(.failed(let reason)):
      outcome = .dialFailed(reason)
    case .failure(.timedOut), .failure(.unusable), .failure(.refused):
      outcome = timeOut(call)
    }
    record.outcome = outcome
    telemetry.record(record)
    reconcile()
    return outcome
  }

  /// Waits out the connect timeout: what grpcurl does while every attempt fails with an error gRPC retries.
  mutating func timeOut(_ call: WorkstationCall) -> WorkstationCallOutcome {
    now = now + call.connectTimeout
    return .dialFailed("context deadline exceeded")
  }

  /// Dials the call's host from the workstation: the router decides where the connection goes
  /// (`Router.route`), a connection its TLS frontend takes costs a round trip, and the ingress gateway's
  /// TLS handshake follows when the router passes it through.
  mutating func dialGateway(_ call: WorkstationCall, record: inout WorkstationCallRecord) -> Result<GatewayConnection, GatewayDialFailure> {
    switch router.route(call) {
    case .dialFailed(let failure):
      return .failure(failure)
    case .answered(let failure):
      now = now + oneWayLatency() + oneWayLatency()
      return .failure(failure)
    case .passedThrough(let backend, let serverName):
      now = now + oneWayLatency() + oneWayLatency()
      record.gateway = PodRef(namespace: backend.metadata.namespace ?? "", name: backend.metadata.name)
      return handshake(call, serverName: serverName, on: backend, record: &record)
    }
  }
}
