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

    /// Runs on the workspace's session; with `--json`, a failure to load it is a JSON document too.
    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      do {
        return try options.resolved(environment).withSession(environment) { context throws(GrpcLabError) in try run(&context) }
      } catch {
        if json { environment.write(Self.encode(Failure(passed: false, error: error.description))) }
        throw error
      }
    }

    func run(_ context: inout CommandContext) throws(GrpcLabError) -> Int32 {
      let results = context.session.check()
      let passed = context.session.markIfComplete()
      if json {
        context.print(Self.encode(Report(step: context.session.currentStep.id, passed: passed, checks: results)))
      } else {
        context.print(Self.render(results, colour: context.environment.colour))
      }
      return passed ? 0 : 1
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
