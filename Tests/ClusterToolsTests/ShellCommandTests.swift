import Testing

@testable import ClusterTools

@Suite struct ShellCommandTests {
  @Test func splitsWordsQuotesAndPipes() throws {
    let command = try ShellCommand(parsing: #"oc exec deploy/c -- curl "http://x/a b" 'q|r' | grep -c Hello"#)
    #expect(command.stages == [["oc", "exec", "deploy/c", "--", "curl", "http://x/a b", "q|r"], ["grep", "-c", "Hello"]])
  }

  @Test func readsHereDocuments() throws {
    let command = try ShellCommand(parsing: "oc apply -f - <<'EOF'\nkind: ConfigMap\nEOF")
    #expect(command.stages == [["oc", "apply", "-f", "-"]])
    #expect(command.hereDocument == "kind: ConfigMap\n")
    #expect(ShellCommand.hereDocumentDelimiter(in: "oc apply -f - <<EOF") == "EOF")
  }

  @Test(arguments: ["echo 'open", "| grep x", "oc get pods |", "cat <<EOF\nnever closed"])
  func rejectsBrokenLines(line: String) {
    #expect(throws: ShellError.self) { try ShellCommand(parsing: line) }
  }

  /// `$A` is "1 2", `$B` is "b", `$(…)` prints "x y" and nothing else is set.
  static func expanding(_ line: String) throws(ShellError) -> ShellCommand {
    try ShellCommand(parsing: line) { expansion in
      switch expansion {
      case .variable("A"): "1 2"
      case .variable("B"): "b"
      case .variable: ""
      case .command: "x y"
      }
    }
  }

  @Test func expandsVariablesAndSplitsThemOutsideDoubleQuotesOnly() throws {
    let command = try Self.expanding(#"echo $A "$A" ${B}c '$A' \$A a$B "" $UNSET "$UNSET" $ 5$"#)
    #expect(command.stages == [["echo", "1", "2", "1 2", "bc", "$A", "$A", "ab", "", "", "$", "5$"]])
  }

  @Test func substitutesCommandsWithTheirWholeLineNestedQuotesAndPipes() throws {
    var seen: [ShellExpansion] = []
    let command = try ShellCommand(parsing: #"oc logs $(oc get pods -o "jsonpath={.items[0]}" | head -n 1) -c "$(echo ")")""#) { expansion in
      seen.append(expansion)
      return "p"
    }
    #expect(seen == [.command(#"oc get pods -o "jsonpath={.items[0]}" | head -n 1"#), .command(#"echo ")""#)])
    #expect(command.stages == [["oc", "logs", "p", "-c", "p"]])
  }

  @Test func assignmentsBeforeAnyProgramAreKeptApartAndNeverSplit() throws {
    let alone = try Self.expanding("P=$(x) Q=$A R= # comment")
    #expect(alone.stages.isEmpty)
    #expect(alone.assignments == [.init(name: "P", value: "x y"), .init(name: "Q", value: "1 2"), .init(name: "R", value: "")])
    let before = try Self.expanding("K=v oc get pods a=b")
    #expect(before.stages == [["oc", "get", "pods", "a=b"]] && before.assignments == [.init(name: "K", value: "v")])
    #expect(try Self.expanding("export P=$A Q $A").stages == [["export", "P=1 2", "Q", "1", "2"]])
    #expect(try Self.expanding("\"P\"=1 9X=2").stages == [["P=1", "9X=2"]])
  }

  @Test func withoutAnExpanderEveryDollarStaysAsTyped() throws {
    #expect(try ShellCommand(parsing: "echo $(oc get pods) ${X} $Y").stages == [["echo", "$(oc get pods)", "${X}", "$Y"]])
  }

  @Test(arguments: [
    ("echo $(oc get", ShellError.unmatched(")")),
    ("echo ${X", .unmatched("}")),
    ("echo ${a b}", .badSubstitution("${a b}")),
    ("echo $(echo 'x)", .unterminatedQuote),
  ])
  func rejectsBrokenExpansionsAsBashDoes(line: String, error: ShellError) {
    #expect(throws: error) { try Self.expanding(line) }
    #expect(error.description.hasPrefix("unexpected EOF while looking for matching") || error.description == "${a b}: bad substitution")
  }
}

@Suite struct PrintingTests {
  @Test func tabWriterPadsToTheWidestCellPlusThree() {
    let text = TabWriter(minWidth: 6, padding: 3).format(["NAME\tREADY\tAGE", "grpc-v1-abc\t1/1\t5s"])
    #expect(text == "NAME          READY   AGE\ngrpc-v1-abc   1/1     5s\n")
  }

  @Test(arguments: [(59, "59s"), (119, "119s"), (200, "3m20s"), (240, "4m"), (5700, "95m"), (18600, "5h10m"), (108_000, "30h"), (273_600, "3d4h")])
  func humanDuration(seconds: Int64, expected: String) {
    #expect(HumanDuration.format(.seconds(seconds)) == expected)
  }
}
