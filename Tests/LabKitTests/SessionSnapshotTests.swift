import ClusterModel
import ClusterTools
import Foundation
import Testing

@testable import LabKit

/// A session loaded from a snapshot and the commands after it equals the session replayed from its whole
/// journal; a snapshot that does not fit is ignored.
@Suite struct SessionSnapshotTests {
  /// Commands a learner types, right and wrong, in any order: the five steps' solutions and what they try
  /// between them.
  static func commands(of lab: Lab) -> [String] {
    lab.steps.flatMap(\.solution) + [
      "oc -n grpc scale deploy/grpc-v1 --replicas 3", "oc -n grpc get pods -w", "oc delete -f grpc-dr.yaml", "oc project grpc",
      "oc -n test rollout restart deploy", "oc -n grpc get pods", "oc apply -f missing.yaml", "grpcurl -plaintext localhost:9000 list",
    ]
  }

  /// A random session of `length` commands on `seed`, each run with what it waits for, with a follow now and
  /// then, as a shell's watch leaves one.
  static func randomSession(seed: UInt64, length: Int) throws -> LabSession {
    let lab = try LabCatalog.lab("grpc-lb")
    let commands = Self.commands(of: lab)
    var generator = SplitMix64(seed: seed)
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: seed))
    for _ in 0..<length {
      let line = commands[Int(generator.next(below: UInt64(commands.count)))]
      session.executeWaiting(line, files: LabFiles(lab: lab), workingDirectory: "/workspace")
      if generator.next(below: 8) == 0 { session.follow("oc get pods -w") }
    }
    return session
  }

  /// A snapshot as a workspace keeps it: encoded and decoded again.
  static func stored(_ snapshot: SessionSnapshot, of state: SessionState) throws -> SessionSnapshot {
    try #require(SessionSnapshot(decoding: try snapshot.encoded(), fitting: state))
  }

  @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
  func aSnapshotAndTheRestOfTheJournalGiveTheReplayedSession(seed: UInt64) throws {
    let session = try Self.randomSession(seed: seed, length: 40)
    let journal = session.state.journal
    var generator = SplitMix64(seed: seed &+ 100)
    let cut = Int(generator.next(below: UInt64(journal.count + 1)))
    var prefix = session.state
    prefix.journal.removeSubrange(cut...)
    let snapshot = try Self.stored(LabSession(lab: session.lab, state: prefix).snapshot, of: session.state)
    #expect(snapshot.header.entries == cut)
    let loaded = try LabSession.rebuild(lab: session.lab, state: session.state, snapshot: snapshot) { _ in }
    let replayed = LabSession(lab: session.lab, state: session.state)
    #expect(loaded == replayed)
    #expect(loaded == session)
  }

  @Test func theClusterSurvivesEncodingWithTrafficFromEveryStep() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 7))
    for line in lab.steps.flatMap(\.solution) {
      session.executeWaiting(line, files: LabFiles(lab: lab), workingDirectory: "/workspace")
    }
    let tools = try Self.stored(session.snapshot, of: session.state).tools
    #expect(tools == session.tools)
    var copy = session
    let after = copy.execute("oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc", files: LabFiles(lab: lab), workingDirectory: "/workspace")
    var loaded = try LabSession.rebuild(lab: lab, state: session.state, snapshot: session.snapshot) { _ in }
    let again = loaded.execute("oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc", files: LabFiles(lab: lab), workingDirectory: "/workspace")
    #expect(again == after)
    #expect(loaded == copy)
  }

  @Test func aSnapshotOfAnotherModelOrAnotherJournalIsIgnored() throws {
    let session = try Self.randomSession(seed: 9, length: 12)
    let replayed = LabSession(lab: session.lab, state: session.state)
    var otherModel = session.snapshot
    otherModel.header.model += 1
    #expect(!otherModel.header.fits(session.state))
    let other = try Self.randomSession(seed: 10, length: 12).snapshot
    #expect(!other.header.fits(session.state))
    var longer = session.snapshot
    longer.header.entries += 1
    #expect(!longer.header.fits(session.state))
    var negative = session.snapshot
    negative.header.entries = -1
    #expect(!negative.header.fits(session.state))
    for snapshot in [otherModel, other, longer] {
      #expect(try LabSession.rebuild(lab: session.lab, state: session.state, snapshot: snapshot) { _ in } == replayed)
    }
  }

  /// Snapshots cut short or with a byte changed anywhere (header, workstation, objects, telemetry) are
  /// refused or read, never a trap.
  @Test func aDamagedSnapshotIsRefusedOrReadWithoutATrap() throws {
    let session = try Self.randomSession(seed: 4, length: 12)
    let bytes = try session.snapshot.encoded()
    var generator = SplitMix64(seed: 44)
    for _ in 0..<60 {
      let end = Int(generator.next(below: UInt64(bytes.count)))
      #expect(SessionSnapshot(decoding: bytes[..<end], fitting: session.state) == nil)
      var changed = bytes
      let index = Int(generator.next(below: UInt64(bytes.count)))
      changed[index] ^= UInt8(truncatingIfNeeded: generator.next(below: 255) + 1)
      _ = SessionSnapshot(decoding: changed, fitting: session.state)
    }
  }

  @Test func theKeyCoversEveryFieldAReplayReads() throws {
    let session = try Self.randomSession(seed: 3, length: 10)
    let key = session.snapshot.header.key
    var changes: [(inout SessionState) -> Void] = [
      { $0.seed += 1 }, { $0.lab += "-" }, { $0.started = Cluster.labStartTime },
      { $0.journal[0].line += " " }, { $0.journal[0].workingDirectory += "/" }, { $0.journal[0].changed = false },
      { $0.journal[0].readOnly = true }, { $0.journal[0].at = Cluster.labStartTime },
      { $0.journal[0].followedUntil = Cluster.labStartTime },
    ]
    if let entry = session.state.journal.firstIndex(where: { !$0.files.isEmpty }) {
      changes.append { $0.journal[entry].files = $0.journal[entry].files.mapValues { _ in .missing } }
    }
    for change in changes {
      var state = session.state
      change(&state)
      #expect(state.replayKey(entries: state.journal.count) != key)
    }
  }
}
