import ClusterModel
import ClusterTools
import Foundation
import Testing

@testable import LabKit

/// A journal saved once and never re-recorded (`Fixtures/frozen-session.json`: the five steps' solutions
/// on seed 7, as grpclab 0.11 saved them with model 2): it must replay into the same cluster on every
/// toolchain, and what that cluster shows is a golden of its own. A model change that moves it gets a new
/// model version.
@Suite struct FrozenJournalTests {
  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/frozen-session.json")

  @Test func theFrozenJournalReplaysIntoTheSameCluster() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let state = try JSONDecoder().decode(SessionState.self, from: Data(contentsOf: Self.fixture))
    var session = try LabSession.rebuild(lab: lab, state: state) { _ in }
    let passed = session.check(step: 4).allSatisfy { $0.passed }
    #expect(passed)
    var text = ""
    for line in [
      "oc get pods -A -o wide", "oc -n grpc get endpoints grpc -o yaml", "kiali graph -n grpc,test",
      "oc -n test logs deploy/grpc-client -c istio-proxy --tail 12", "jaeger traces --service grpc.test --limit 3",
    ] {
      let result = session.execute(line, files: LabFiles(lab: lab), workingDirectory: "/workspace")
      text += "$ \(line)\n\(result.stdout)\(result.stderr)"
    }
    try assertGolden(text, "frozen-session.txt")
  }
}
