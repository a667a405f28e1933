import ClusterModel
import ClusterTools
import Testing

@testable import LabKit

/// ghz on the workstation, loading the greeter through the router and the ingress gateway of step 5.
@Suite struct GhzTests {
  static let host = IngressStepTests.host
  static let tls = "--cacert certs/ca.crt --cert certs/client.example.com.crt --key certs/client.example.com.key"
  static let call = "--proto helloworld.proto --call helloworld.Greeter.SayHello -d '{\"name\":\"ghz\"}'"

  /// What a learner tries after step 5: a gentle load, ghz's defaults, the ways it fails.
  static let commands = [
    "ghz \(tls) \(call) -c 1 -n 0x0c \(host):443",
    "ghz \(tls) \(call) \(host):443",
    "ghz \(tls) \(call) -n 20 -c 4 --connections 2 --name two-connections \(host):443",
    "ghz \(tls) \(call) -n 20 -c 5 -r 100 \(host):443",
    "ghz --cacert certs/ca.crt \(call) -n 6 -c 3 -r 1000 \(host):443",
    "ghz --cacert certs/ca.crt --cert certs/rogue.crt --key certs/rogue.key \(call) -n 2 -c 1 \(host):443",
    "ghz \(call) -n 4 -c 2 \(host):443",
    "ghz --insecure \(call) -n 4 -c 2 -t 2s \(host):443",
    "ghz \(tls) \(call) -n 3 -c 1 nosuch.apps.cluster.example.com:443",
    "ghz \(tls) --proto helloworld.proto --call helloworld.Greeter/SayGoodbye \(host):443",
    "ghz \(tls) --proto helloworld.proto --call Greeter \(host):443",
    "ghz \(tls) --proto helloworld.proto --call helloworld.Greeter.SayHello -d '{\"nom\":\"x\"}' \(host):443",
    "ghz \(tls) --call helloworld.Greeter.SayHello \(host):443",
    "ghz \(tls) \(call) -c 2 --connections 3 \(host):443",
    "ghz \(tls) \(call)",
    "ghz \(tls) --proto helloworld.proto \(host):443",
    "ghz -n ten \(call) \(host):443",
    "ghz -insecure \(call) \(host):443",
    "ghz --bogus \(call) \(host):443",
    "ghz \(tls) \(call) -O json \(host):443",
    "ghz \(tls) \(call) -n 200000 \(host):443",
    "ghz --cert certs/client.example.com.crt \(call) \(host):443",
    "ghz \(tls) \(call) -n 10 -n 20 \(host):443",
    "ghz \(tls) --proto helloworld.proto --call helloworld.Greeter.SayHello -d '{\"name\":' \(host):443",
    "ghz \(tls) --proto helloworld.proto --call helloworld.Greeter.SayHello -d '{} {}' \(host):443",
    "ghz \(tls) \(call) -n 2 -c 1 grpc-istio-system.apps.cluster.example.com",
    "ghz --insecure \(call) -n 2 -c 1 grpc-istio-system.apps.cluster.example.com:80",
    "ghz \(tls) \(call) -n 0 \(host):443",
    "ghz --version",
    "oc -n istio-system logs deploy/istio-ingressgateway --tail 2",
  ]

  static func session() throws -> LabSession {
    let lab = try LabCatalog.lab("grpc-lb")
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 7))
    for line in lab.steps.flatMap(\.solution) {
      session.executeWaiting(line, files: LabFiles(lab: lab), workingDirectory: "/workspace")
    }
    return session
  }

  @Test func throughTheGatewayWithSeed7() throws {
    var session = try Self.session()
    try assertGolden(transcript(Self.commands, in: &session), "ghz-seed7.txt")
    #expect(session.check(step: 4).allSatisfy { $0.passed }, "ghz's calls are not the step's grpcurl call")
  }

  /// Workers share one connection; the gateway's Envoy balances each call over the pods.
  @Test func oneWorkerIsBalancedCallByCallAndNeverRefused() throws {
    var cluster = try Self.session().cluster
    let report = cluster.run(Self.load(workers: 1, total: 30))
    #expect(report.calls.count == 30 && report.calls.allSatisfy { $0.status == .ok })
    let run = try #require(cluster.telemetry.clientRuns.last)
    let servers = Set(cluster.telemetry.calls(of: run).compactMap(\.server))
    #expect(servers.count == 3)
  }

  /// `-r` paces the calls of all workers together: one call per tick, whichever worker is free, and the load
  /// ends with the last call.
  @Test func aRateSpacesTheCallsOfAllWorkers() throws {
    var cluster = try Self.session().cluster
    var load = Self.load(workers: 5, total: 20)
    load.rate = 100
    let report = cluster.run(load)
    let starts = report.calls.map(\.started).sorted()
    #expect(report.calls.count == 20 && report.calls.allSatisfy { $0.status == .ok })
    #expect(zip(starts.dropFirst(2), starts.dropFirst()).allSatisfy { $0 - $1 >= .milliseconds(10) })
    let last = try #require(report.calls.map { $0.started + $0.duration }.max())
    #expect(report.finished - report.started >= .milliseconds(190) && report.finished == last)
  }

  /// With the relaxed rule's one pending request, workers that arrive while the gateway connects to the
  /// pods overflow, and each overflow is one the gateway's Envoy counted.
  @Test func concurrentWorkersOverflowThePendingQueueOfTheGateway() throws {
    var cluster = try Self.session().cluster
    let gateway = try #require(cluster.store.pods(in: "istio-system").first { $0.metadata.name.hasPrefix("istio-ingressgateway") })
    let ref = PodRef(namespace: "istio-system", name: gateway.metadata.name)
    let before = cluster.proxyStat("upstream_rq_pending_overflow", of: ref) ?? 0
    let report = cluster.run(Self.load(workers: 50, total: 200))
    let overflowed = report.calls.filter { $0.message.hasSuffix("reset reason: overflow") }
    #expect(!overflowed.isEmpty && overflowed.allSatisfy { $0.status == .unavailable })
    #expect(cluster.proxyStat("upstream_rq_pending_overflow", of: ref) == before + overflowed.count)
    #expect(report.calls.count == 200)
  }

  /// Every worker's call on a connection that never became ready; the summary has no histogram.
  @Test func aLoadWithNoAnswerWaitsOutEachCallsTimeout() throws {
    var cluster = try Self.session().cluster
    var load = Self.load(workers: 2, total: 4)
    load.call.plaintext = true
    load.timeout = .seconds(2)
    let report = cluster.run(load)
    #expect(report.calls.map(\.duration) == Array(repeating: .seconds(2), count: 4))
    #expect(report.calls.allSatisfy { $0.status == .deadlineExceeded && $0.message == "context deadline exceeded" })
  }

  static func load(workers: Int, total: Int) -> WorkstationLoad {
    WorkstationLoad(
      call: WorkstationCall(
        host: host, port: 443, plaintext: false, insecure: true, roots: nil,
        identity: try? TLSIdentity(certificates: file("certs/client.example.com.crt"), key: file("certs/client.example.com.key")),
        authority: nil, path: "/helloworld.Greeter/SayHello", name: "ghz", connectTimeout: .seconds(10), userAgent: "grpc-go/1.64.0"),
      total: total, duration: nil, concurrency: workers, connections: 1, timeout: .seconds(20))
  }

  private static func file(_ name: String) -> String {
    guard let lab = try? LabCatalog.lab("grpc-lb"), case .file(let text) = LabFiles(lab: lab).contents(of: "/workspace/" + name) else { return "" }
    return text
  }
}
