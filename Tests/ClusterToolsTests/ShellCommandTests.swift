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
