import Testing

@testable import ClusterTools

@Suite struct ShellCommandTests {
  @Test func splitsWordsQuotesAndPipes() throws {
    let command = try ShellCommand(parsing: #"oc exec deploy/c -- curl "http://x/a b" 'q|r' | grep -c Hello"#)
    #expect(command.stages == [["oc", "exec", "deploy/c", "--", "curl", "http://x/a b", "q|r"], ["grep", "-c", "Hello"]])
  }

  /// Quotes carry a command over several lines; a here-document's body starts after the line they end on.
  @Test func quotesCarryALineOverNewlines() throws {
    let command = try ShellCommand(parsing: "echo 'a\nb' \"c\\\nd\" <<EOF\nbody\nEOF")
    #expect(command.stages == [["echo", "a\nb", "cd"]])
    #expect(command.hereDocument == "body\n")
    #expect(try ShellCommand(parsing: "echo a\\\nb").stages == [["echo", "ab"]])
    let commented = try ShellCommand(parsing: "cat <<EOF # it's\nhello\nEOF")
    #expect(commented.stages == [["cat"]] && commented.hereDocument == "hello\n", "a quote in a comment opens nothing")
    #expect(try ShellCommand(parsing: "echo x \\\n2>y").redirections == [[.write(2, path: "y")]], "a backslash-newline goes first")
  }

  @Test func readsHereDocuments() throws {
    let command = try ShellCommand(parsing: "oc apply -f - <<'EOF'\nkind: ConfigMap\nEOF")
    #expect(command.stages == [["oc", "apply", "-f", "-"]])
    #expect(command.hereDocument == "kind: ConfigMap\n")
  }

  @Test(arguments: ["echo 'open", "| grep x", "oc get pods |", "cat <<EOF\nnever closed"])
  func rejectsBrokenLines(line: String) {
    #expect(throws: ShellError.self) { try ShellCommand(parsing: line) }
  }

  /// `$A` is "1 2", `$B` is "b", `$?` is 7, `$(…)` prints "x y" and nothing else is set.
  static func expanding(_ line: String) throws(ShellError) -> ShellCommand {
    try ShellCommand(parsing: line) { expansion in
      switch expansion {
      case .variable("A"): "1 2"
      case .variable("B"): "b"
      case .variable: ""
      case .status: "7"
      case .command: "x y"
      }
    }
  }

  @Test func expandsVariablesAndSplitsThemOutsideDoubleQuotesOnly() throws {
    let command = try Self.expanding(#"echo $A "$A" ${B}c '$A' \$A a$B "" $UNSET "$UNSET" $ 5$ $? "${?}x" '$?'"#)
    #expect(command.stages == [["echo", "1", "2", "1 2", "bc", "$A", "$A", "ab", "", "", "$", "5$", "7", "7x", "$?"]])
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
    ("echo $(oc get", ShellError.unmatched(")"), "unexpected EOF while looking for matching `)'"),
    ("echo ${X", .unmatched("}"), "unexpected EOF while looking for matching `}'"),
    ("echo ${a b}", .badSubstitution("${a b}"), "${a b}: bad substitution"),
    ("echo ${1a}", .badSubstitution("${1a}"), "${1a}: bad substitution"),
    ("echo ${a-b}", .unsupportedExpansion("${a-b}"), "${a-b}: the lab shell expands only $NAME, ${NAME} and $(command)"),
    ("echo ${#a}", .unsupportedExpansion("${#a}"), "${#a}: the lab shell expands only $NAME, ${NAME} and $(command)"),
    ("echo $(echo 'x)", .unterminatedQuote, "unexpected EOF while looking for matching quote"),
    ("A=x; echo $A", .unsupported(";"), "`;' is not supported by the lab shell inside one pipeline"),
    ("oc get pods && oc get svc", .unsupported("&&"), "`&&' is not supported by the lab shell inside one pipeline"),
    ("sleep 1 &", .unsupported("&"), "`&' is not supported by the lab shell: commands run in the foreground"),
  ])
  func rejectsBrokenExpansionsAndOperatorsAsBashWouldNotRunThem(line: String, error: ShellError, description: String) {
    #expect(throws: error) { try Self.expanding(line) }
    #expect(error.description == description)
  }

  /// Redirections are read off the words, with the stream number typed right before the operator; `$A`
  /// is "1 2".
  @Test(arguments: [
    ("oc get pods 2>/dev/null", [["oc", "get", "pods"]], [[ShellRedirection.write(2, path: "/dev/null")]]),
    ("a > /dev/null 2>&1 | grep -c x", [["a"], ["grep", "-c", "x"]], [[.write(1, path: "/dev/null"), .duplicate(2, to: 1)], []]),
    ("a 2>>x >|y", [["a"]], [[.write(2, path: "x"), .write(1, path: "y")]]),
    ("echo 2>x", [["echo"]], [[.write(2, path: "x")]]),
    ("echo \"2\">x a2>y", [["echo", "2", "a2"]], [[.write(1, path: "x"), .write(1, path: "y")]]),
    ("echo 2&>x", [["echo", "2"]], [[.write(1, path: "x"), .duplicate(2, to: 1)]]),
    ("echo \"\"2>x", [["echo", "2"]], [[.write(1, path: "x")]]),
    ("> /dev/null", [[]], [[.write(1, path: "/dev/null")]]),
    ("a >&2", [["a"]], [[.duplicate(1, to: 2)]]),
    ("a >&x", [["a"]], [[.write(1, path: "x"), .duplicate(2, to: 1)]]),
    ("grep -c kind <smmr.yaml", [["grep", "-c", "kind"]], [[.read(0, path: "smmr.yaml")]]),
    ("a > $A \"'>'\" '2>&1'", [["a", "'>'", "2>&1"]], [[.write(1, path: "1 2")]]),
    ("A=1 >x a", [["a"]], [[.write(1, path: "x")]]),
  ])
  func readsRedirectionsOffTheWords(line: String, stages: [[String]], redirections: [[ShellRedirection]]) throws {
    let command = try Self.expanding(line)
    #expect(command.stages == stages)
    #expect(command.redirections == redirections)
  }

  @Test(arguments: [("a >", ShellError.syntax("newline")), ("a > | b", .syntax("|")), ("a > > x", .syntax(">")), ("a 2>; b", .syntax(";"))])
  func aRedirectionNeedsItsTarget(line: String, error: ShellError) {
    #expect(throws: error) { try ShellList(splitting: line) }
  }

  @Test func aListSplitsAtItsOperatorsOutsideQuotesAndSubstitutions() throws {
    let list = try ShellList(splitting: #"oc get pods nope && echo 'a;b' || echo "c&&d" $(x; y); oc get svc; # done"#)
    #expect(list.items == [
      .init(line: "oc get pods nope ", connector: .always), .init(line: #" echo 'a;b' "#, connector: .ifSucceeded),
      .init(line: #" echo "c&&d" $(x; y)"#, connector: .ifFailed), .init(line: " oc get svc", connector: .always),
    ])
    let document = try ShellList(splitting: "oc get pods; oc apply -f - <<EOF\nkind: X\nEOF")
    #expect(document.items.map(\.line) == ["oc get pods", " oc apply -f - <<EOF\nkind: X\nEOF"])
    let first = try ShellList(splitting: "cat <<EOF; echo hi\nbody\nEOF")
    #expect(first.items.map(\.line) == ["cat <<EOF\nbody\nEOF", " echo hi"])
    #expect(try ShellList(splitting: "  # nothing").items.isEmpty)
    #expect(ShellList.firstWords(of: "check && oc get pods") == ["check"])
  }

  @Test(arguments: [
    ("; oc get pods", ShellError.syntax(";")), ("oc get pods &&", .unexpectedEnd), ("a || || b", .syntax("||")),
    ("a | ; b", .syntax(";")), ("a && b &", .unsupported("&")), ("a; cat <<EOF\nnever closed", .unterminatedHereDocument("EOF")),
    ("cat <<A; cat <<B\nx\nB\nA", .unsupported("<<")), ("echo `date`", .unsupported("`")), ("echo \"`date`\"", .unsupported("`")),
    ("(echo; oc delete pod x)", .unsupported("(")), ("oc get pods -o jsonpath={.items[?(@.x)]}", .unsupported("(")),
    ("echo a;; echo b", .syntax(";;")), ("oc delete pod x; echo a $(echo ;;)", .syntax(";;")),
    ("oc delete pod x \"$(oc get pods |)\"", .syntax("|")), ("oc delete cm x $((1+2))", .unsupported("$((")),
    ("if false; then oc delete pod x; fi", .unsupported("if")), ("for p in a b; do echo $p; done", .unsupported("for")),
    ("echo $(while true; do echo; done)", .unsupported("while")), ("A=1 { oc delete pod x; }", .unsupported("{")),
    ("echo " + String(repeating: "$(echo ", count: 17) + "x" + String(repeating: ")", count: 17), .nestedTooDeeply(16)),
  ])
  func aBrokenListIsRefusedWhole(line: String, error: ShellError) {
    #expect(throws: error) { try ShellList(splitting: line) }
    #expect(throws: error, "and again: a refusal is not remembered as a split") { try ShellList(splitting: line) }
  }

  /// More lines than are remembered, split twice over: each split is the line's own.
  @Test func aLineSplitAgainIsSplitTheSame() throws {
    let lines = (0..<600).map { "oc get pods p\($0) && echo \($0) || oc get svc s\($0)" }
    for _ in 0..<2 {
      for (number, line) in lines.enumerated() {
        let list = try ShellList(splitting: line)
        #expect(list.items.map(\.line) == ["oc get pods p\(number) ", " echo \(number) ", " oc get svc s\(number)"])
      }
    }
  }

  /// A name is an ASCII letter or `_`, then ASCII letters, digits and `_`, as bash reads them.
  @Test(arguments: [
    ("_x9=1", true), ("Ab_c=1", true), ("a=1", true), ("9a=1", false), ("a-b=1", false), ("é=1", false),
    ("aé=1", false), ("a٣=1", false), ("=1", false),
  ])
  func assignmentsNeedANameAsBashReadsIt(token: String, isAssignment: Bool) throws {
    let command = try ShellCommand(parsing: token)
    #expect(command.assignments.isEmpty != isAssignment)
    #expect(command.stages.isEmpty == isAssignment)
  }

  @Test func assignmentsSeeTheOnesBeforeThemButCommandsDoNot() throws {
    let command = try ShellCommand(parsing: "A=x B=$A") { _ in "old" }
    #expect(command.assignments == [.init(name: "A", value: "x"), .init(name: "B", value: "x")])
    #expect(try ShellCommand(parsing: "A=x echo $A") { _ in "old" }.stages == [["echo", "old"]])
  }

  @Test func wordsAreSplitAsTypedBeforeTheyAreExpanded() throws {
    let values: [String: String] = ["X": "a ", "E": ""]
    func parse(_ line: String) throws(ShellError) -> ShellCommand {
      try ShellCommand(parsing: line) { expansion in
        if case .variable(let name) = expansion { values[name] ?? "" } else { "" }
      }
    }
    #expect(try parse("echo $X#").stages == [["echo", "a", "#"]])
    let empty = try parse("$E A=1")
    #expect(empty.stages == [["A=1"]] && empty.assignments.isEmpty)
    #expect(try parse("echo | $E").stages == [["echo"]])
    let pipeline = try parse("A=1 | B=2")
    #expect(pipeline.isPipeline && pipeline.assignments.isEmpty && pipeline.stages.isEmpty)
  }

  @Test func aHereDocumentIsExpandedUnlessItsDelimiterIsQuoted() throws {
    let body = "namespace: $NS\nname: ${NS}-x \\$NS $(oc project -q)\n"
    let open = try Self.expanding("oc apply -f - <<EOF\n\(body.replacingOccurrences(of: "NS", with: "B"))EOF")
    #expect(open.hereDocument == "namespace: b\nname: b-x $B x y\n")
    let quoted = try Self.expanding("oc apply -f - <<'EOF'\n\(body)EOF")
    #expect(quoted.hereDocument == body)
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
