import Testing

@testable import ClusterTools

/// A filter command as a learner types it, the text piped into it, and what GNU prints for it.
struct FilterCase: Sendable, CustomTestStringConvertible {
  let command: String
  let input: String
  let expected: ToolResult

  init(_ command: String, _ input: String, out: String = "", err: String = "", exit: Int32 = 0) {
    self.command = command
    self.input = input
    expected = ToolResult(stdout: out, stderr: err, exitCode: exit)
  }

  var testDescription: String { command }

  /// The command run at the end of a pipe that carries `input`.
  func run() throws -> ToolResult? {
    let command = try ShellCommand(parsing: command)
    return command.stages.first.flatMap { TextFilters.run($0, input: input) }
  }
}

@Suite struct TextFiltersTests {
  @Test(arguments: FilterCase.all)
  func printsWhatGNUPrints(_ filter: FilterCase) throws {
    #expect(try filter.run() == filter.expected)
  }

  @Test func otherProgramsAreNotFilters() {
    #expect(TextFilters.run(["awk", "1"], input: "x\n") == nil)
    #expect(TextFilters.run([], input: "x\n") == nil)
  }
}
