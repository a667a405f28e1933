import ClusterModel
import ClusterTools
import Testing

@testable import LabKit

/// Whether the current step passes is evaluated once for each state of the cluster, and never answers for
/// another state or another step.
@Suite struct StepPassesTests {
  /// A new session of `lab` that keeps the learner's clock, with the lab's files.
  static func start(_ lab: Lab) -> (LabSession, LabFiles) {
    (LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 7, started: Cluster.labStartTime)), LabFiles(lab: lab))
  }

  @Test func theAnswerFollowsEveryCommandAndEveryMove() throws {
    let (started, files) = Self.start(try LabCatalog.lab("grpc-lb"))
    var session = started
    var answers: [Bool] = []
    for line in session.lab.steps[0].solution {
      session.executeWaiting(line, files: files, workingDirectory: "/workspace")
      answers.append(session.stepPasses())
      #expect(answers.last == session.check().allSatisfy(\.passed), "after \(line)")
      let again = session.stepPasses()
      #expect(again == answers.last, "asked again")
    }
    #expect(answers.first == false)
    #expect(answers.last == true)
    session.move(to: 1)
    let second = session.stepPasses()
    #expect(!second, "the second step's checks, not the first's")
    session.move(to: 0)
    let first = session.stepPasses()
    #expect(first)
    _ = session.undo()
    let undone = session.stepPasses()
    #expect(undone == session.check().allSatisfy(\.passed))
  }

  /// The results `checkCurrentStep()` gives settle the answer for that state, and the step is marked complete
  /// from them; a later command is asked about anew.
  @Test func checkedResultsSettleTheAnswerForTheirState() throws {
    let (started, files) = Self.start(try LabCatalog.lab("grpc-lb"))
    var session = started
    for line in session.lab.steps[0].solution {
      session.executeWaiting(line, files: files, workingDirectory: "/workspace")
      let passed = session.checkCurrentStep().allSatisfy(\.passed)
      #expect(session.stepPasses() == passed, "after \(line)")
      #expect(session.markIfComplete() == passed)
      #expect(session.state.completed.contains(session.currentStep.id) == passed)
    }
    #expect(session.state.completed == [session.lab.steps[0].id])
  }

  /// A command after which the step's checks pass, and did not before, completes it, once; a command that
  /// changed nothing the checks read completes nothing.
  @Test func aStepBecomesCompleteAtTheCommandAfterWhichItsChecksPass() throws {
    let (started, files) = Self.start(try LabCatalog.lab("grpc-lb"))
    var session = started
    var completions: [Bool] = []
    for line in session.lab.steps[0].solution {
      let before = session
      session.executeWaiting(line, files: files, workingDirectory: "/workspace")
      completions.append(session.becameComplete(since: before))
    }
    #expect(completions == Array(repeating: false, count: completions.count - 1) + [true])
    #expect(session.state.completed == [session.lab.steps[0].id])
    let before = session
    session.execute("kubectl get pods", files: files, workingDirectory: "/workspace", at: session.cluster.now)
    let again = session.becameComplete(since: before)
    #expect(!again)
  }

  /// Envoy's `ejections_active` gauge moves with the clock alone: a step that reads Envoy's stats is asked
  /// again when only the clock moved.
  @Test func aStepThatReadsEnvoysStatsIsAskedAgainWhenOnlyTheClockMoved() throws {
    var lab = try LabCatalog.lab("circuit-breaking")
    let stat = Check.StatQuery(namespace: "circuit-breaking", selector: "app=fortio", stat: "outlier_detection.ejections_active")
    lab.steps[0].checks = [
      Check(id: "none-ejected", text: LocalizedText(en: "No host is ejected"), query: .proxyStat(stat), expect: .init(equals: 0))
    ]
    let (started, files) = Self.start(lab)
    var session = started
    for line in lab.steps[..<3].flatMap(\.solution) { session.executeWaiting(line, files: files, workingDirectory: "/workspace") }
    let load = #"kubectl exec "$FORTIO_POD" -c fortio -- fortio load -c 1 -qps 0 -n 5 -loglevel Warning http://httpbin:8000/status/503"#
    session.executeWaiting(load, files: files, workingDirectory: "/workspace")
    let ejected = session.stepPasses()
    #expect(!ejected)
    let revision = session.cluster.revision
    session.execute("kubectl get pods", files: files, workingDirectory: "/workspace", at: session.cluster.now + .seconds(181))
    #expect(session.cluster.revision == revision, "only the clock moved")
    let back = session.stepPasses()
    #expect(back, "the host's ejection ended")
  }
}
