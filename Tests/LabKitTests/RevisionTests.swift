import ClusterModel
import ClusterTools
import Testing

@testable import LabKit

/// The cluster's revision moves exactly when its stored objects or its telemetry change: comparing two
/// revisions answers what comparing the whole store and telemetry would. Each case starts after a random
/// number of the lab's steps, so that traffic flows through every kind of pod.
@Suite struct RevisionTests {
  @Test(arguments: [11, 12, 13, 14, 15, 16] as [UInt64])
  func theRevisionMovesExactlyWhenObjectsOrTelemetryChange(seed: UInt64) throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let commands = SessionSnapshotTests.commands(of: lab) + [
      "oc -n grpc logs deploy/grpc-v1", "kiali graph -n grpc,test", "jaeger traces --service grpc.test --limit 2",
      "oc -n test logs deploy/grpc-client -c istio-proxy --tail 3", "oc get events -A", "istioctl proxy-config cluster deploy/grpc-client -n test",
    ]
    var generator = SplitMix64(seed: seed)
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: seed))
    let solved = Int(generator.next(below: UInt64(lab.steps.count + 1)))
    for line in lab.steps.prefix(solved).flatMap(\.solution) {
      session.executeWaiting(line, files: LabFiles(lab: lab), workingDirectory: "/workspace")
    }
    var tools = session.tools
    var changes = (objects: 0, telemetry: 0, none: 0)
    for _ in 0..<60 {
      let line = commands[Int(generator.next(below: UInt64(commands.count)))]
      let before = tools
      _ = tools.run(line, files: LabFiles(lab: lab), workingDirectory: "/workspace", language: .en)
      let objectsChanged = tools.cluster.store != before.cluster.store
      let telemetryChanged = tools.cluster.telemetry != before.cluster.telemetry
      #expect((tools.cluster.revision != before.cluster.revision) == (objectsChanged || telemetryChanged), "\(line)")
      if objectsChanged { changes.objects += 1 } else if telemetryChanged { changes.telemetry += 1 } else { changes.none += 1 }
      let waited = tools.cluster
      tools.cluster.advance(by: .seconds(7))
      #expect(
        (tools.cluster.revision != waited.revision) == (tools.cluster.store != waited.store || tools.cluster.telemetry != waited.telemetry),
        "seven seconds after \(line)")
    }
    #expect(changes.objects > 0 && changes.telemetry > 0 && changes.none > 0, "every kind of command was tried")
  }
}
