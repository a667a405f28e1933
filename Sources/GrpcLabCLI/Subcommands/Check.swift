import ArgumentParser
import Foundation
import LabKit
import Synchronization

extension GrpcLab {
  /// `grpclab check`: evaluates the current step's checks on what the model observed; `--step` evaluates
  /// another step's checks on the same cluster, which leaves the learner's progress as it is.
  struct Check: LabCommand {
    static let configuration = CommandConfiguration(
      commandName: "check", abstract: "Check the current step's outcome (exit 0 when all pass).")

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "Print the results as JSON.")
    var json = false

    @Option(help: "Check this step (its number or id) instead of the current one.")
    var step: String?

    @Option(help: "Replay your journal under this many seeds, yours first, and report how often each check passed.")
    var seeds: Int?

    /// The most seeds a sweep replays.
    static let maxSeeds = 10_000

    /// Runs on the workspace's session; with `--json`, a failure to load it is a JSON document too. A sweep
    /// reads the save and replays it without holding the workspace, so a shell on it goes on meanwhile.
    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      if let seeds {
        try validate(seeds: seeds)
        return try Self.sweep(seeds: seeds, step: step, options: options, environment)
      }
      do {
        return try options.resolved(environment).withSession(environment) { context throws(GrpcLabError) in try run(&context) }
      } catch {
        if json { environment.write(Self.encode(Failure(passed: false, error: error.description))) }
        throw error
      }
    }

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      if let seeds {
        try validate(seeds: seeds)
        return Self.sweep(context.session.state, lab: context.session.lab, step: step, seeds: seeds, context.environment)
      }
      let session = context.session
      guard let index = Self.stepIndex(step, in: session.state, of: session.lab, context.environment) else { return 2 }
      let results: [CheckResult]
      let passed: Bool
      if index != session.state.step {
        results = session.check(step: index)
        passed = results.allSatisfy(\.passed)
      } else {
        results = context.session.checkCurrentStep()
        passed = context.session.markIfComplete()
      }
      if json {
        let id = index == session.state.step ? session.currentStep.id : session.lab.steps[index].id
        context.print(Self.encode(Report(step: id, passed: passed, checks: results)))
      } else {
        context.print(Self.render(results, colour: context.environment.colour))
      }
      return passed ? 0 : 1
    }

    private func validate(seeds: Int) throws(GrpcLabError) {
      try Self.checkRange(of: seeds, option: "--seeds")
      guard !json else { throw .usage("--seeds reports in text; leave out --json") }
    }

    /// Refuses a seed count outside 1…`maxSeeds`, naming the option or argument that gave it.
    static func checkRange(of seeds: Int, option: String) throws(GrpcLabError) {
      guard (1...maxSeeds).contains(seeds) else { throw .usage("\(option) must be from 1 to \(maxSeeds)") }
    }

    /// A sweep of `seeds` seeds of the workspace's saved journal, read without holding the workspace.
    static func sweep(seeds: Int, step: String?, options: WorkspaceOptions, _ environment: GrpcLabEnvironment)
      throws(GrpcLabError) -> Int32
    {
      let state = try options.resolved(environment).savedState()
      let lab: Lab
      do { lab = try LabCatalog.lab(state.lab) } catch { throw .lab(error) }
      return sweep(state, lab: lab, step: step, seeds: seeds, environment)
    }

    /// The checks of the current step, or of the one `step` names, on `state`'s journal replayed under
    /// `count` seeds from the session's own, spread over the machine's cores. Exit 0 when every check
    /// passed under every seed; 2 when `step` names no step.
    static func sweep(_ state: SessionState, lab: Lab, step: String?, seeds count: Int, _ environment: GrpcLabEnvironment) -> Int32 {
      guard let index = stepIndex(step, in: state, of: lab, environment) else { return 2 }
      let outcomes = outcomes(of: state, lab: lab, step: index, seeds: count)
      environment.write(SeedSweep.report(outcomes, lab: lab, step: index, language: state.language))
      return outcomes.allSatisfy { $0.results.allSatisfy(\.passed) } ? 0 : 1
    }

    /// The step of `state`'s lab that `reference` names, else `state`'s own; nil after saying that
    /// `reference` names no step.
    static func stepIndex(_ reference: String?, in state: SessionState, of lab: Lab, _ environment: GrpcLabEnvironment) -> Int? {
      guard let reference else { return state.step }
      guard let index = LabSession.stepIndex(reference, of: lab) else {
        environment.writeError(Goto.noSuchStep(reference, of: lab, language: state.language) + "\n")
        return nil
      }
      return index
    }

    /// Step `step`'s outcomes under `count` seeds from the session's own, in seed order, computed on every
    /// core.
    static func outcomes(of state: SessionState, lab: Lab, step: Int, seeds count: Int) -> [SeedSweep.Outcome] {
      var decoded = state
      decoded.journal.decodeEntries()
      let state = decoded
      let seeds = (0..<UInt64(count)).map { state.seed &+ $0 }
      let results = Mutex([SeedSweep.Outcome?](repeating: nil, count: seeds.count))
      DispatchQueue.concurrentPerform(iterations: seeds.count) { index in
        let outcome = SeedSweep.outcome(of: state, lab: lab, step: step, seed: seeds[index])
        results.withLock { $0[index] = outcome }
      }
      return results.withLock { $0.compactMap { $0 } }
    }

    /// One line per check: `✔ text` or `✘ text — observed 3 pods; expected exactly 1`; the marks in green
    /// and red on a terminal that allows colour.
    static func render(_ results: [CheckResult], colour: Bool) -> String {
      func mark(_ passed: Bool) -> String {
        let symbol = passed ? "✔" : "✘"
        return colour ? "\u{1B}[\(passed ? 32 : 31)m\(symbol)\u{1B}[0m" : symbol
      }
      return results.map { result in
        result.passed ? "\(mark(true)) \(result.text)\n" : "\(mark(false)) \(result.text) — \(result.figure)\n"
      }.joined()
    }

    /// Pretty, sorted JSON and a newline; the types encoded have no value JSON cannot hold.
    private static func encode(_ value: some Encodable) -> String {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      let data = (try? encoder.encode(value)) ?? Data(#"{"passed":false,"error":"unencodable report"}"#.utf8)
      return String(decoding: data, as: UTF8.self) + "\n"
    }

    private struct Report: Encodable {
      var step: String
      var passed: Bool
      var checks: [CheckResult]
    }

    /// What `--json` prints when the session cannot be loaded.
    private struct Failure: Encodable {
      var passed: Bool
      var error: String
    }
  }
}
