import Testing

@testable import LabKit

@Suite struct MeshStepsTests {
  /// Steps 2–4 as the article shows them, after step 1's solution.
  static let meshSteps = [
    "oc apply -f smmr.yaml",
    "oc apply -f grpc-vs.yaml",
    "oc -n grpc delete pod -l app=grpc",
    "oc -n test delete pod -l app=grpc",
    "oc -n grpc get pods -l app=grpc",
    "oc -n test get pods -l app=grpc",
    "oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc",
    "oc -n grpc logs deploy/grpc-v1 -c custom-grpc-hello | grep -c Received",
    "oc get smmr -n istio-system -o wide",
    "oc get vs -n grpc",
    "oc apply -f grpc-dr.yaml",
    "oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc",
    "oc -n test logs deploy/grpc-client -c istio-proxy | grep -c \"creating a new connection\"",
    "oc -n test logs deploy/grpc-client -c istio-proxy --tail 19",
    "oc apply -f grpc-dr-relaxed.yaml",
    "oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc",
    "oc -n test logs deploy/grpc-client -c istio-proxy --tail 400 | grep -c \"using existing fully connected connection\"",
    "oc get dr -n grpc",
  ]

  @Test func stepsTwoToFourWithSeed7() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let (text, _) = try transcript(lab.steps[0].solution + Self.meshSteps, seed: 7)
    let mesh = text.components(separatedBy: "$ oc apply -f smmr.yaml\n").last ?? ""
    try assertGolden("$ oc apply -f smmr.yaml\n" + mesh, "steps2-4-seed7.txt")
  }

  /// An injected pod as the API server stores it and kubectl describes it: the admission plugins' defaults,
  /// the service account's token volume, OpenShift Service Mesh's sidecar, and the CA bundles it mounts.
  @Test func anInjectedPodWithSeed7() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let lines = [
      "oc apply -f smmr.yaml", "oc -n test delete pod -l app=grpc", "oc -n test get pod -l app=grpc -o yaml",
      "oc -n test describe pod -l app=grpc", "oc -n test get configmaps", #"oc -n test get pod -l app=grpc -o jsonpath='{.items[0].status.qosClass}{"\n"}'"#,
    ]
    let (text, _) = try transcript(lab.steps[0].solution + lines, seed: 7)
    let first = "$ \(lines[2])\n"
    try assertGolden(first + (text.components(separatedBy: first).last ?? ""), "injected-pod-seed7.txt")
  }

  /// How many pods served the client's calls after `policy` became the `trafficPolicy` of a DestinationRule for
  /// the grpc Service, with grpc-v1 scaled to three pods in the mesh (step 3's start), then after the rule went.
  static func servers(with policy: String) throws -> (ruled: Int, after: Int, clusterType: String) {
    let lab = try LabCatalog.lab("grpc-lb")
    let files = LabFiles(lab: lab)
    var session = LabSession.landing(lab: lab, state: SessionState(lab: lab.id, seed: 7), on: 2, files: files, workingDirectory: "/workspace")
    let rule = """
      oc apply -f - <<EOF
      apiVersion: networking.istio.io/v1beta1
      kind: DestinationRule
      metadata: {name: ruled, namespace: grpc}
      spec:
        host: grpc.grpc.svc.cluster.local
        trafficPolicy: \(policy)
      EOF
      """
    for line in ["oc -n grpc scale deploy/grpc-v1 --replicas=3", "oc -n grpc rollout status deploy/grpc-v1", rule] {
      #expect(session.executeWaiting(line, files: files, workingDirectory: "/workspace").exitCode == 0, "\(line)")
    }
    func served() throws -> Int {
      session.executeWaiting("oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc", files: files, workingDirectory: "/workspace")
      let run = try #require(session.cluster.telemetry.clientRuns.last)
      return Set(session.cluster.telemetry.calls(of: run).compactMap(\.server)).count
    }
    let ruled = try served()
    let type = session.executeWaiting(
      "istioctl pc cluster deploy/grpc-client.test --fqdn grpc.grpc.svc.cluster.local --port 9000", files: files, workingDirectory: "/workspace"
    ).stdout.split(separator: "\n").last?.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).first
    _ = session.executeWaiting("oc -n grpc delete destinationrule ruled", files: files, workingDirectory: "/workspace")
    return (ruled, try served(), type.map(String.init) ?? "")
  }

  /// A consistent hash sends every call that hashes alike to one pod: on the source address, all the
  /// client's calls; on a header the calls lack, none of them alike, so they spread; a simple policy
  /// spreads them again.
  @Test(arguments: [("useSourceIp: true", 1), ("httpHeaderName: user-agent", 1), ("httpHeaderName: x-user", 5)])
  func aConsistentHashSendsTheCallsThatHashAlikeToOnePod(hash: String, servers: Int) throws {
    let outcome = try Self.servers(with: "{loadBalancer: {consistentHash: {\(hash)}}}")
    #expect(outcome.ruled == servers && outcome.after == 5 && outcome.clusterType == "EDS")
  }

  /// PASSTHROUGH dials the Service's address, so kube-proxy picks a pod per connection, as without a mesh:
  /// one connection carries every call to one pod, unless each connection may carry only one.
  @Test(arguments: [("{}", 1), ("{connectionPool: {http: {maxRequestsPerConnection: 1}}}", 5)])
  func passthroughLeavesThePickToKubeProxyPerConnection(pool: String, servers: Int) throws {
    let policy = "{loadBalancer: {simple: PASSTHROUGH}" + (pool == "{}" ? "}" : ", " + pool.dropFirst())
    let outcome = try Self.servers(with: policy)
    #expect(outcome.ruled == servers && outcome.after == 5 && outcome.clusterType == "ORIGINAL_DST", "\(outcome)")
  }

  @Test func meshToolsWithSeed7() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let tools = [
      "kiali graph -n grpc,test",
      "jaeger services",
      "jaeger traces --limit 2",
      "jaeger traces --service nosuch",
      "jaeger trace 0000000000000000",
      "istioctl proxy-config cluster deploy/grpc-client.test --fqdn grpc",
      "istioctl pc endpoint deploy/grpc-client -n test --cluster 'outbound|9000||grpc.grpc.svc.cluster.local'",
      "istioctl pc route deploy/grpc-client.test --name 9000",
      "istioctl pc cluster nosuch -n test",
      "kiali graph -n nosuch",
    ]
    let before = try transcript(lab.steps[0].solution + ["kiali graph -n grpc,test"], seed: 7).0
    let (text, _) = try transcript(lab.steps[..<3].flatMap(\.solution) + tools, seed: 7)
    let plain = "$ kiali graph -n grpc,test\n" + (before.components(separatedBy: "$ kiali graph -n grpc,test\n").last ?? "")
    let mesh = "$ kiali graph -n grpc,test\n" + (text.components(separatedBy: "$ kiali graph -n grpc,test\n").last ?? "")
    try assertGolden(plain + mesh, "mesh-tools-seed7.txt")
  }

  /// For every step and several seeds: its checks fail from the state the step starts in (the
  /// solutions of the steps before it) and pass once its own solution ran.
  @Test(arguments: 1...4)
  func eachStepsChecksFailBeforeAndPassAfterItsSolution(step: Int) throws {
    let lab = try LabCatalog.lab("grpc-lb")
    for seed in UInt64(200)..<210 {
      let before = lab.steps[..<(step - 1)].flatMap(\.solution)
      var (_, session) = try transcript(before, seed: seed)
      session.move(to: step - 1)
      #expect(!session.check().allSatisfy { $0.passed }, "step \(step) seed \(seed) passes before its solution")
      for line in lab.steps[step - 1].solution {
        session.execute(line, files: LabFiles(lab: lab), workingDirectory: "/workspace")
      }
      let results = session.check()
      #expect(results.allSatisfy { $0.passed }, "step \(step) seed \(seed): \(results.filter { !$0.passed })")
    }
  }

  @Test func gotoLandsWhereTheSolutionsLeaveTheCluster() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 3))
    session.land(on: 3, files: LabFiles(lab: lab), workingDirectory: "/workspace")
    let (_, solved) = try transcript(lab.steps[..<3].flatMap(\.solution), seed: 3)
    #expect(session.cluster == solved.cluster)
    #expect(session.state.step == 3)
    #expect(session.state.completed == ["plain-kubernetes", "add-mesh", "strict-pool"])
  }
}
