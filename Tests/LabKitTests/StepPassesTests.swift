import ClusterModel
import ClusterTools
import Testing

@testable import LabKit

/// Whether the current step passes is evaluated once for each state of the cluster, and never answers for
/// another state or another step.
@Suite struct StepPassesTests {
  @Test func theAnswerFollowsEveryCommandAndEveryMove() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let files = LabFiles(lab: lab)
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 4))
    var answers: [Bool] = []
    for line in lab.steps[0].solution {
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
}
