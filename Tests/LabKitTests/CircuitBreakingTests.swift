import ClusterModel
import ClusterTools
import Testing

@testable import LabKit

/// The circuit-breaking lab: HTTP/1.1 through the sidecars, httpbin, fortio's HTTP load and Envoy's breakers.
@Suite struct CircuitBreakingTests {
  static let namespace = "circuit-breaking"

  /// A session of the lab after the solutions of its first `steps` steps; `started` puts it on a learner's
  /// clock, which `execute(…, at:)` moves.
  static func session(steps: Int, seed: UInt64 = 7, started: SimTime? = nil) throws -> LabSession {
    let lab = try LabCatalog.lab("circuit-breaking")
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: seed, started: started))
    for line in lab.steps[..<steps].flatMap(\.solution) {
      session.executeWaiting(line, files: LabFiles(lab: lab), workingDirectory: "/workspace")
    }
    return session
  }

  static func run(_ session: inout LabSession, _ line: String) -> ToolResult {
    session.executeWaiting(line, files: LabFiles(lab: session.lab), workingDirectory: "/workspace")
  }

  static func fortioPod(_ session: LabSession) throws -> PodRef {
    let pod = try #require(session.cluster.store.pods(in: namespace).first { $0.metadata.labels?["app"] == "fortio" })
    return PodRef(namespace: namespace, name: pod.metadata.name)
  }

  static func load(_ threads: Int, calls: Int) -> GRPCLoad {
    let perThread = calls / threads
    return GRPCLoad(
      tool: "fortio", host: "httpbin", port: 8000, method: .http(method: "GET", path: "/get"), calls: Array(repeating: perThread, count: threads),
      interval: nil, duration: nil)
  }

  /// The lab as a learner types it, byte for byte.
  @Test func theTaskWithSeed7() throws {
    let lab = try LabCatalog.lab("circuit-breaking")
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 7))
    let text = transcript(lab.steps.flatMap(\.solution) + [
      "kubectl logs deploy/fortio-deploy -c istio-proxy | grep -e UO -e 200 | tail -n 2",
      "kubectl logs deploy/httpbin -c httpbin",
      "kubectl get sa",
      "kubectl describe sa httpbin",
    ], in: &session)
    try assertGolden(text, "circuit-breaking-seed7.txt")
  }

  @Test func anHTTP1ConnectionCarriesOneRequestAtATime() throws {
    var session = try Self.session(steps: 1)
    _ = Self.run(&session, "kubectl apply -f fortio-deploy.yaml")
    _ = Self.run(&session, "kubectl rollout status deployment/fortio-deploy")
    let pod = try Self.fortioPod(session)
    var cluster = session.cluster
    let report = try cluster.run(Self.load(4, calls: 40), from: pod)
    #expect(report.calls.count == 40 && report.calls.allSatisfy { $0.http?.status == 200 })
    // Without limits, the sidecar opens a connection for each request that finds every connection busy.
    let opened = try #require(cluster.proxyStat("upstream_cx_total", of: pod))
    #expect(opened > 2)
    #expect(report.connections.allSatisfy { $0.times.count == 1 }, "fortio kept every socket: all replies were OK")
  }

  @Test func fortioOpensASocketAfterEachReplyThatIsNotOK() throws {
    let session = try Self.session(steps: 2)
    var cluster = session.cluster
    let report = try cluster.run(Self.load(3, calls: 30), from: try Self.fortioPod(session))
    #expect(report.calls.contains { $0.http?.status == 503 })
    for (thread, connections) in report.connections.enumerated() {
      let calls = report.calls.filter { $0.thread == thread }
      let failedThenCalledAgain = calls.dropLast().filter { $0.http?.status != 200 }.count
      #expect(connections.times.count == 1 + failedThenCalledAgain, "thread \(thread)")
    }
    // Each new connection numbers its streams from 1, and never twice the same.
    let run = try #require(cluster.telemetry.clientRuns.last)
    let byConnection = Dictionary(grouping: cluster.telemetry.calls(of: run).filter { $0.connection != nil }) { $0.connection }
    #expect(byConnection.count > 3)
    for calls in byConnection.values {
      let streams = calls.compactMap(\.stream)
      #expect(Set(streams).count == streams.count && streams.min() == 1)
    }
  }

  @Test func everyOverflowIsA503TheSidecarCountedAndLogged() throws {
    var session = try Self.session(steps: 3)
    let pod = try Self.fortioPod(session)
    let runs = session.cluster.telemetry.clientRuns.filter { $0.client == pod }
    let overflowed = runs.flatMap { session.cluster.telemetry.calls(of: $0) }.filter { $0.upstream?.responseFlags == "UO" }
    #expect(!overflowed.isEmpty)
    #expect(session.cluster.proxyStat("upstream_rq_pending_overflow", of: pod) == overflowed.count)
    #expect(overflowed.allSatisfy { $0.status == .unavailable && $0.server == nil })
    let log = Self.run(&session, "kubectl logs deploy/fortio-deploy -c istio-proxy").stdout.split(separator: "\n")
    let flagged = log.filter { $0.contains(#""GET /get HTTP/1.1" 503 UO upstream_reset_before_response_started{overflow}"#) }
    #expect(flagged.count == overflowed.count)
    let curl = Self.run(&session, #"kubectl exec "$FORTIO_POD" -c fortio -- fortio curl http://httpbin:8000/status/418"#)
    #expect(curl.exitCode == 1 && curl.stderr.hasPrefix("HTTP/1.1 418 I'm a teapot\r\nserver: envoy\r\n"))
    #expect(curl.stderr.contains(#""level":"err","r":1,"file":"commonflags.go","line":172,"msg":"Error status 418"}"#))
  }

  @Test func aRelaxedRuleLetsEveryRequestThrough() throws {
    var session = try Self.session(steps: 3)
    let relaxed = """
      kubectl apply -f - <<EOF
      apiVersion: networking.istio.io/v1beta1
      kind: DestinationRule
      metadata:
        name: httpbin
      spec:
        host: httpbin
        trafficPolicy:
          connectionPool:
            tcp:
              maxConnections: 100
            http:
              http1MaxPendingRequests: 100
      EOF
      """
    #expect(Self.run(&session, relaxed).exitCode == 0)
    let result = Self.run(&session, #"kubectl exec "$FORTIO_POD" -c fortio -- fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get"#)
    #expect(result.stderr.contains("Code 200 : 30 (100.0 %)\n"))
    #expect(result.stderr.contains("Sockets used: 3 (for perfect keepalive, would be 3)\n"))
    #expect(!result.stderr.contains("Non ok http code"))
  }

  @Test func aHostThatAnswers5xxIsEjectedForItsTimeThenLetBack() throws {
    var session = try Self.session(steps: 3, started: Cluster.labStartTime)
    let load = #"kubectl exec "$FORTIO_POD" -c fortio -- fortio load -c 1 -qps 0 -n 5 -loglevel Warning http://httpbin:8000/status/503"#
    #expect(Self.run(&session, load).stderr.contains("Code 503 : 5 (100.0 %)"))
    let pod = try Self.fortioPod(session)
    #expect(session.cluster.proxyStat("outlier_detection.ejections_enforced_total", of: pod) == 1)
    let run = try #require(session.cluster.telemetry.clientRuns.last)
    let flags = session.cluster.telemetry.calls(of: run).map { $0.upstream?.responseFlags ?? "" }
    #expect(flags == ["-", "UH", "UH", "UH", "UH"], "httpbin answered the first; the sidecar, with its only host ejected, the rest")
    let endpoints = Self.run(&session, #"istioctl proxy-config endpoint "$FORTIO_POD" --cluster "outbound|8000||httpbin.circuit-breaking.svc.cluster.local""#)
    #expect(endpoints.stdout.contains("HEALTHY     FAILED"))
    let fetch = #"kubectl exec "$FORTIO_POD" -c fortio -- fortio curl -quiet http://httpbin:8000/get"#
    #expect(Self.run(&session, fetch).stdout == "no healthy upstream")
    // baseEjectionTime is 3m, and the detector looks again every second.
    let later = session.execute(fetch, files: LabFiles(lab: session.lab), workingDirectory: "/workspace", at: session.cluster.now + .seconds(181))
    #expect(later.exitCode == 0 && later.stderr.hasPrefix("HTTP/1.1 200 OK"))
    #expect(session.cluster.proxyStat("outlier_detection.ejections_active", of: pod) == 0)
    // The multiplier went back down a tick (1s) after the host came back: a second ejection lasts 3m again.
    _ = Self.run(&session, load)
    let ejectedAt = session.cluster.now
    let stillOut = session.execute(fetch, files: LabFiles(lab: session.lab), workingDirectory: "/workspace", at: ejectedAt + .seconds(170))
    #expect(stillOut.exitCode == 1)
    let back = session.execute(fetch, files: LabFiles(lab: session.lab), workingDirectory: "/workspace", at: ejectedAt + .seconds(182))
    #expect(back.exitCode == 0)
    #expect(session.cluster.proxyStat("outlier_detection.ejections_enforced_total", of: pod) == 2)
  }

  /// istioctl names a Service from its own namespace by its short name first, as Istio orders a virtual
  /// host's domains; it prints only its short tables, and refuses a format it does not know.
  @Test func proxyConfigRoutesShowTheShortNameFirstInTheShortTableOnly() throws {
    var session = try Self.session(steps: 2)
    let routes = Self.run(&session, #"istioctl pc route "$FORTIO_POD" --name 8000"#)
    #expect(routes.stdout.contains("     httpbin, httpbin.circuit-breaking + 1 more...     /*"))
    #expect(Self.run(&session, #"istioctl pc route "$FORTIO_POD" -o short"#).stdout.hasPrefix("NAME "))
    #expect(Self.run(&session, #"istioctl pc route "$FORTIO_POD" -o json"#) == ToolResult(
      stderr: "grpclab: 'istioctl proxy-config -o json' is not part of the lab's istioctl; it prints the short tables\n", exitCode: 1))
    #expect(Self.run(&session, #"istioctl pc cluster "$FORTIO_POD" -o wide"#) == ToolResult(
      stderr: "Error: output format \"wide\" not supported\n", exitCode: 1))
  }

  @Test func httpbinAnswersEachRouteItsOwnMethodsThroughTheSidecars() throws {
    var session = try Self.session(steps: 1)
    _ = Self.run(&session, "kubectl apply -f fortio-deploy.yaml")
    _ = Self.run(&session, "kubectl rollout status deployment/fortio-deploy")
    let fortio = try Self.fortioPod(session)
    func send(_ method: String, _ path: String) throws -> HTTPResponse? {
      var cluster = session.cluster
      guard case .response(let response, _) = try cluster.send(
        HTTPRequest(method: method, host: "httpbin", port: 8000, path: path), from: fortio)
      else { return nil }
      return response
    }
    let get = try #require(try send("GET", "/get"))
    #expect(get.status == 200 && get.body.contains(#""User-Agent": "curl/7.61.1""#))
    #expect(get.headers.first == HTTPHeader("server", "envoy") && get.headers.last?.name == "x-envoy-upstream-service-time")
    let post = try #require(try send("POST", "/post"))
    #expect(post.status == 200 && post.body.contains(#""json": null"#) && post.body.contains(#""form": {}"#))
    #expect(try send("POST", "/get")?.status == 405)
    let head = try #require(try send("HEAD", "/get"))
    #expect(head.status == 200 && head.body.isEmpty && head.headers.contains { $0.name == "content-length" && $0.value != "0" })
    #expect(try send("GET", "/nope")?.status == 404)
    #expect(try send("DELETE", "/status/204")?.status == 204)
    let escaped = try #require(try send("GET", "/anything?q=é\"\t"))
    #expect(escaped.body.contains(#""url": "http://httpbin:8000/anything?q=\u00e9\"\t""#), "as Python's json.dumps escapes")
  }

  @Test func aLoadWhoseHostDoesNotResolveIsAborted() throws {
    var session = try Self.session(steps: 2)
    let result = Self.run(&session, #"kubectl exec "$FORTIO_POD" -c fortio -- fortio load -c 2 -n 20 http://httbin:8000/get"#)
    #expect(result.exitCode == 1)
    #expect(result.stderr.hasSuffix("Aborting because of unable to lookup httbin: no such host\ncommand terminated with exit code 1\n"))
  }

  @Test func theChecksCountWhatFortioAndTheSidecarObserved() throws {
    var session = try Self.session(steps: 2)
    session.move(to: 2)
    let before = session.check()
    #expect(before.allSatisfy { !$0.passed })
    for line in session.lab.steps[2].solution { _ = Self.run(&session, line) }
    let results = session.check()
    #expect(results.allSatisfy { $0.passed })
    #expect(results.allSatisfy { $0.observed > 0 })
  }
}
