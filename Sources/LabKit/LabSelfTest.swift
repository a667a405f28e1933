import ClusterTools

/// A lab's self-test, as `grpclab dev check` runs it: every step's checks must fail in the state the step
/// starts from and pass after its reference solution, and every text must exist in every language.
public enum LabSelfTest {
  /// The problems found, one line each; empty when the lab is sound.
  ///
  /// - Parameters:
  ///   - files: The lab's files, as its solutions read them from `workingDirectory`.
  ///   - seeds: Each seed is a fresh workspace; outcomes that depend on chance must hold for all.
  public static func problems(of lab: Lab, files: any FileSource, workingDirectory: String, seeds: [UInt64]) -> [String] {
    var problems = translationProblems(of: lab)
    for seed in seeds {
      var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: seed))
      for (index, step) in lab.steps.enumerated() {
        session.move(to: index)
        let place = "\(lab.id) step \(index + 1) (\(step.id)), seed \(seed)"
        if step.checks.isEmpty {
          problems.append("\(place): the step has no checks")
        } else if session.check().allSatisfy(\.passed) {
          problems.append("\(place): the checks pass before the step's solution ran")
        }
        var status: Int32 = 0
        for (number, line) in step.solution.enumerated() {
          let result = session.execute(line, files: files, workingDirectory: workingDirectory, lastStatus: status)
          status = result.exitCode
          let expected = step.expectedExits[number] ?? 0
          if result.exitCode != expected {
            problems.append("\(place): solution command '\(line)' exited \(result.exitCode), not \(expected)" + Self.said(result))
          }
        }
        for result in session.check() where !result.passed {
          problems.append("\(place): after the solution, '\(result.text)': \(result.figure)")
        }
      }
    }
    return problems
  }

  /// What a failing command wrote to standard error, indented below the problem; or that it wrote nothing there.
  static func said(_ result: ToolResult) -> String {
    let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast(result.stderr.hasSuffix("\n") ? 1 : 0)
    guard !result.stderr.isEmpty else { return ", writing nothing to stderr" }
    return ":" + lines.map { "\n    " + $0 }.joined()
  }

  /// Texts, hints and check descriptions that lack a translation.
  static func translationProblems(of lab: Lab) -> [String] {
    var problems: [String] = []
    func need(_ text: LocalizedText, _ place: String) {
      for language in Language.allCases where language != .en && text.translation(language) == nil {
        problems.append("\(lab.id): \(place) has no \(language.rawValue) text")
      }
    }
    need(lab.title, "the title")
    for (index, step) in lab.steps.enumerated() {
      let place = "step \(index + 1) (\(step.id))"
      need(step.title, "\(place) title")
      need(step.text, "\(place) text")
      need(step.explain, "\(place) explanation")
      for (number, hint) in step.hints.enumerated() { need(hint, "\(place) hint \(number + 1)") }
      for check in step.checks { need(check.text, "\(place) check '\(check.id)'") }
    }
    return problems
  }
}
