import ClusterModel
import ClusterTools
import Testing

@testable import LabKit

/// A session brought up to another terminal's later save equals the session rebuilt from that save.
@Suite struct CatchUpTests {
  @Test func catchingUpEqualsRebuilding() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let files = LabFiles(lab: lab)
    var mine = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 4))
    for line in lab.steps[0].solution.prefix(4) { mine.execute(line, files: files, workingDirectory: "/workspace") }
    var theirs = mine
    theirs.follow("oc get pods -w")
    mine.follow("oc get pods -w")
    theirs.follow("oc get pods -w")
    theirs.follow("oc get pods -w")
    for line in lab.steps[0].solution.dropFirst(4) { theirs.executeWaiting(line, files: files, workingDirectory: "/workspace") }
    theirs.follow("oc -n grpc delete pod -l app=grpc")
    let caughtUp = mine.catchUp(to: theirs.state)
    #expect(caughtUp)
    #expect(mine == theirs)
    #expect(mine == LabSession(lab: lab, state: theirs.state))
  }

  @Test func aSaveThatDoesNotContinueTheJournalIsRefused() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let files = LabFiles(lab: lab)
    var mine = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 4))
    mine.execute("oc new-project grpc", files: files, workingDirectory: "/workspace")
    var theirs = mine
    theirs.undo()
    theirs.execute("oc new-project other", files: files, workingDirectory: "/workspace")
    let before = mine
    let caughtUp = mine.catchUp(to: theirs.state)
    #expect(!caughtUp)
    #expect(mine == before)
  }

  /// A line that reads `$?` keeps the status it read in the journal, so a replay gives it the same value.
  @Test func aLineThatReadsTheLastStatusReplaysWithIt() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let files = LabFiles(lab: lab)
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 4))
    session.execute("oc new-project grpc", files: files, workingDirectory: "/workspace", lastStatus: 1)
    session.execute("export S=$? T=${?}", files: files, workingDirectory: "/workspace", lastStatus: 78)
    #expect(session.state.journal.map(\.lastStatus) == [nil, 78])
    let rebuilt = LabSession(lab: lab, state: session.state)
    #expect(rebuilt == session)
    #expect(rebuilt.tools.workstation.variables == ["S": "78", "T": "78"])
  }

  @Test func aReadOnlyCommandIsNotRunAgainOnReplayAndAProjectSwitchIs() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let files = LabFiles(lab: lab)
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 4))
    for line in ["oc new-project grpc", "oc new-project test", "oc get pods", "oc project grpc", "oc get pods -A"] {
      session.execute(line, files: files, workingDirectory: "/workspace")
    }
    #expect(session.state.journal.map(\.readOnly) == [nil, nil, true, nil, true])
    let rebuilt = LabSession(lab: lab, state: session.state)
    #expect(rebuilt == session)
    #expect(rebuilt.tools.workstation.currentProject == "grpc")
  }
}
