import ArgumentParser
import Foundation
import LabKit

extension GrpcLab {
  /// `grpclab check`: evaluates the current step's checks on what the model observed.
  struct Check: LabCommand {
    static let configuration = CommandConfiguration(abstract: "Check the current step's outcome (exit 0 when all pass).")

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "Print the results as JSON.")
    var json = false

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      let results = context.session.check()
      let passed = context.session.markIfComplete()
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let report = Report(step: context.session.currentStep.id, passed: passed, checks: results)
        let data = (try? encoder.encode(report)) ?? Data()
        context.print(String(decoding: data, as: UTF8.self) + "\n")
      } else {
        context.print(Self.render(results, language: context.session.state.language))
      }
      return passed ? 0 : 1
    }

    /// One line per check: `✔ text` or `✘ text — observed 3, expected exactly 1`.
    static func render(_ results: [CheckResult], language: Language) -> String {
      results.map { result in
        result.passed
          ? "✔ \(result.text)\n"
          : "✘ \(result.text)\(Message.observed(result.observed, expected: result.expected).text(language))\n"
      }.joined()
    }

    private struct Report: Encodable {
      var step: String
      var passed: Bool
      var checks: [CheckResult]
    }
  }
}
