import ClusterModel
import ClusterTools
import Testing

@testable import LabKit

@Suite struct SeedSweepTests {
  /// The lab with step 1's solution in its journal, on step 1.
  static func afterStepOne(seed: UInt64 = 7) throws -> (Lab, SessionState) {
    let lab = try LabCatalog.lab("grpc-lb")
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: seed))
    for line in lab.steps[0].solution {
      session.executeWaiting(line, files: LabFiles(lab: lab), workingDirectory: "/workspace")
    }
    return (lab, session.state)
  }

  @Test func stepOnesOutcomeHoldsUnderEverySeedWhileThePodItPicksIsChance() throws {
    let (lab, state) = try Self.afterStepOne()
    let outcomes = (0..<24).map { SeedSweep.outcome(of: state, lab: lab, step: 0, seed: state.seed + $0) }
    #expect(outcomes.allSatisfy { $0.results.allSatisfy(\.passed) && $0.replayFailure == nil })
    let servers = outcomes.compactMap { $0.servers.compactMap { $0 }.first }
    #expect(servers.count == 24)
    #expect(Set(servers) == ["grpc-v1", "grpc-v2", "grpc-v3"], "kube-proxy's pick falls on each Deployment's pod")
    #expect(outcomes[0].results == LabSession(lab: lab, state: state).check(step: 0), "the first seed is the session's own")
  }

  @Test func theReportCountsPassesFiguresAndServers() throws {
    let (lab, state) = try Self.afterStepOne()
    let outcomes = (0..<4).map { SeedSweep.outcome(of: state, lab: lab, step: 0, seed: state.seed + $0) }
    let report = SeedSweep.report(outcomes, lab: lab, step: 0, language: .en)
    let lines = report.split(separator: "\n").map(String.init)
    #expect(lines.first == "Step 1 (plain-kubernetes) over 4 seeds of your journal:")
    #expect(lines.filter { $0.hasPrefix("✔ 4/4  ") }.count == lab.steps[0].checks.count)
    #expect(lines.contains { $0.hasPrefix("    served by: grpc-v") })
    #expect(lines.contains { $0.hasPrefix("    observed: ") && $0.hasSuffix(" in 100 %") })
    let zh = SeedSweep.report(outcomes, lab: lab, step: 0, language: .zh)
    #expect(zh.hasPrefix("第 1 (plain-kubernetes) 步，在 4 个种子下重放你的日志：\n"))
    #expect(SeedSweep.report(Array(outcomes.prefix(1)), lab: lab, step: 0, language: .en).hasPrefix("Step 1 (plain-kubernetes) over 1 seed of your journal:\n"))
  }

  @Test func aCommandThatNamesAPodDoesNotReplayUnderAnotherSeed() throws {
    let (lab, before) = try Self.afterStepOne()
    var session = LabSession(lab: lab, state: before)
    let pod = try #require(session.cluster.store.pods(in: "grpc").first?.metadata.name)
    let deleted = session.executeWaiting("oc -n grpc delete pod \(pod)", files: LabFiles(lab: lab), workingDirectory: "/workspace")
    #expect(deleted.exitCode == 0)
    let outcomes = (0..<2).map { SeedSweep.outcome(of: session.state, lab: lab, step: 0, seed: before.seed + $0) }
    #expect(outcomes[0].replayFailure == nil)
    #expect(outcomes[1].replayFailure?.line == "oc -n grpc delete pod \(pod)")
    let report = SeedSweep.report(outcomes, lab: lab, step: 0, language: .en)
    #expect(report.contains("! 1 seed did not replay the journal as it ran (seed \(before.seed + 1): entry "))
  }
}
