import ClusterModel
import ClusterTools
import Foundation
import Testing

@testable import LabKit

/// The lab's files as a learner's workspace holds them.
struct LabFiles: FileSource {
  let lab: Lab

  func contents(of path: String) -> FileContents {
    LabCatalog.fileSource(of: lab).contents(of: path)
  }
}

/// Replays command lines on a fresh grpc-lb session and renders them as `transcript(_:in:)` does.
func transcript(_ lines: [String], seed: UInt64) throws -> (String, LabSession) {
  let lab = try LabCatalog.lab("grpc-lb")
  var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: seed))
  return (transcript(lines, in: &session), session)
}

/// Runs command lines in `session` and renders `$ line`, what it wrote in the order the shell shows it
/// (a newline after output that lacks one), and non-zero exit codes.
func transcript(_ lines: [String], in session: inout LabSession) -> String {
  var text = ""
  for line in lines {
    let result = session.executeWaiting(line, files: LabFiles(lab: session.lab), workingDirectory: "/workspace")
    text += "$ \(line)\n" + result.shown.map(\.text).joined()
    if result.exitCode != 0 { text += "[exit \(result.exitCode)]\n" }
  }
  return text
}

/// Compares `actual` with the golden file, or rewrites it when `GRPCLAB_RECORD=1`.
func assertGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
  if ProcessInfo.processInfo.environment["GRPCLAB_RECORD"] == "1" {
    try actual.write(to: url, atomically: true, encoding: .utf8)
    return
  }
  let expected = try String(contentsOf: url, encoding: .utf8)
  #expect(actual == expected, sourceLocation: sourceLocation)
}

@Suite struct GoldenTranscriptTests {
  static let stepOne = [
    "oc new-project grpc",
    "oc new-project test",
    "oc apply -f grpc-configmap.yaml",
    "oc apply -f grpc-v1.yaml -f grpc-v2.yaml -f grpc-v3.yaml",
    "oc apply -f grpc-service.yaml",
    "oc apply -f client-configmap.yaml -f grpc-client.yaml",
    "oc -n grpc get pods -l app=grpc",
    "oc -n test exec deploy/grpc-client -- curl http://localhost:8080/hello/grpc",
    "oc -n test logs deploy/grpc-client | tail -n 2",
    "oc -n grpc get pods,svc,endpoints -o wide",
    "oc get pods -n nosuchns",
    "oc get frobs",
  ]

  @Test func stepOneWithSeed7() throws {
    let (text, session) = try transcript(Self.stepOne, seed: 7)
    try assertGolden(text, "step1-seed7.txt")
    #expect(session.check().allSatisfy { $0.passed })
  }

  @Test func sameSeedSameBytes() throws {
    #expect(try transcript(Self.stepOne, seed: 42).0 == transcript(Self.stepOne, seed: 42).0)
  }

  @Test func replayingTheJournalRebuildsTheSameCluster() throws {
    let (_, session) = try transcript(Self.stepOne, seed: 5)
    let replayed = LabSession(lab: session.lab, state: session.state)
    #expect(replayed.cluster == session.cluster)
    #expect(replayed.tools == session.tools)
  }

  @Test func theLabClockFollowsTheLearnersClockAndReplaysIt() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let started = SimTime(seconds: 1_795_000_000)
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 3, started: started))
    #expect(session.cluster.now == started)
    let later = SimTime(seconds: 1_795_003_600)
    session.execute("oc new-project grpc", files: LabFiles(lab: lab), workingDirectory: "/workspace", at: later)
    #expect(session.cluster.now >= later && session.cluster.now < later + .seconds(1))
    session.execute("oc new-project test", files: LabFiles(lab: lab), workingDirectory: "/workspace", at: started)
    #expect(session.cluster.now > later, "a clock that goes back does not move the lab's clock back")
    #expect(LabSession(lab: lab, state: session.state).cluster == session.cluster)
  }

  @Test func aPauseAloneIsNotAChange() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let started = SimTime(seconds: 1_795_000_000)
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 3, started: started))
    for line in lab.steps[0].solution.prefix(6) {
      session.execute(line, files: LabFiles(lab: lab), workingDirectory: "/workspace", at: started)
    }
    let before = session
    let later = started + .seconds(600)
    let failed = session.execute("oc get nosuch", files: LabFiles(lab: lab), workingDirectory: "/workspace", at: later)
    #expect(failed.exitCode == 1)
    #expect(session == before, "pods that became ready while the learner was away do not journal a failed command")
    session.execute("oc get pods -n grpc", files: LabFiles(lab: lab), workingDirectory: "/workspace", at: later)
    #expect(session.state.journal.last?.changed == false)
  }

  @Test func aSessionOnTheArticlesDateIgnoresTheLearnersClock() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 3))
    session.execute("oc new-project grpc", files: LabFiles(lab: lab), workingDirectory: "/workspace", at: SimTime(seconds: 1_795_000_000))
    #expect(session.cluster.now < Cluster.labStartTime + .seconds(60))
  }

  @Test func failedCommandsLeaveNoTrace() throws {
    let (_, before) = try transcript(Array(Self.stepOne.prefix(2)), seed: 5)
    var after = before
    let result = after.execute("oc apply -f nope.yaml", files: LabFiles(lab: before.lab), workingDirectory: "/workspace")
    #expect(result.exitCode == 1)
    #expect(after == before)
  }

  @Test func checksFailBeforeTheStepIsDone() throws {
    let (_, session) = try transcript(Array(Self.stepOne.prefix(6)), seed: 7)
    let results = session.check()
    #expect(results.map(\.passed) == [true, false, false])
    #expect(results[2].observed == 0)
    #expect(results[2].figure == "observed 0 pods; expected exactly 1")
  }

  @Test func everyStepOneRunPinsAllCallsToOnePod() throws {
    for seed in UInt64(100)..<110 {
      let (_, session) = try transcript(Self.stepOne, seed: seed)
      #expect(session.check().allSatisfy { $0.passed }, "seed \(seed)")
    }
  }
}
