import ClusterModel
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

  /// A pattern with no operator of its syntax is searched for as a plain string; one with an operator,
  /// or a `$` that anchors, goes to the regex engine.
  @Test(arguments: [
    ("status=200", GrepPattern.Syntax.basic, true), ("a$b", .basic, true), ("a+b", .basic, true), ("a+b", .extended, false),
    ("a.b", .basic, false), ("ms$", .basic, false), ("^a", .extended, false), ("a\\.b", .basic, false), (".", .fixed, true),
    ("连接 已建立", .basic, true),
  ])
  func literalPatternsAreKnown(pattern: String, syntax: GrepPattern.Syntax, literal: Bool) throws {
    #expect(try GrepPattern(pattern, syntax: syntax, ignoreCase: false, firstGroup: 0).isLiteral == literal)
  }

  @Test func otherProgramsAreNotFilters() {
    #expect(TextFilters.run(["awk", "1"], input: "x\n") == nil)
    #expect(TextFilters.run([], input: "x\n") == nil)
  }

  @Test func sortUniqAndCutRunAfterAPipe() {
    var session = ToolSession(cluster: Cluster(seed: 11))
    let files = MemoryFiles(files: [:])
    func run(_ line: String) -> ToolResult { session.run(line, files: files, workingDirectory: "/lab").0 }
    _ = run("oc new-project grpc")
    for name in ["from-b", "from-c", "from-a"] {
      _ = run("oc apply -f - <<EOF\nkind: ConfigMap\napiVersion: v1\nmetadata:\n  name: \(name)\nEOF")
    }
    #expect(ToolSession.programs.isSuperset(of: ["grep", "head", "tail", "wc", "sort", "uniq", "cut"]))
    #expect(run("oc get cm -o name | grep from- | sort -r | cut -d/ -f2") == ToolResult(stdout: "from-c\nfrom-b\nfrom-a\n"))
    #expect(run("oc get cm -o name | grep from- | cut -d- -f1 | uniq -c") == ToolResult(stdout: "      3 configmap/from\n"))
    #expect(run("oc get cm -o name | grep -c -E 'from-(a|b)'") == ToolResult(stdout: "2\n"))
  }
}
