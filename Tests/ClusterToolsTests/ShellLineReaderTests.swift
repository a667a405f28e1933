import Testing

@testable import ClusterTools

/// The lines bash reads as one command: continued after `\`, `|`, `&&` and `||`, and a here-document's
/// body up to its delimiter.
@Suite struct ShellLineReaderTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var label: String
    var lines: [String]
    /// The command once the lines are read, and how many lines it took.
    var command: String
    var taken: Int
    var testDescription: String { label }
  }

  static let cases: [Case] = [
    Case(label: "one line", lines: ["oc get pods", "next"], command: "oc get pods", taken: 1),
    Case(
      label: "a backslash carries on, and goes with its newline", lines: ["oc -n grpc get pods \\", "  -l app=grpc", "next"],
      command: "oc -n grpc get pods   -l app=grpc", taken: 2),
    Case(label: "inside a word too", lines: ["oc get po\\", "ds"], command: "oc get pods", taken: 2),
    Case(label: "an escaped backslash ends the line", lines: ["echo a\\\\", "next"], command: "echo a\\\\", taken: 1),
    Case(label: "a pipe waits for its command", lines: ["oc get pods |", "grep -c Running"], command: "oc get pods | grep -c Running", taken: 2),
    Case(label: "and so do && and ||", lines: ["oc get pods &&  ", "oc get svc ||", "echo no"], command: "oc get pods &&   oc get svc || echo no", taken: 3),
    Case(label: "a quoted pipe does not", lines: ["grep -c '|'", "next"], command: "grep -c '|'", taken: 1),
    Case(label: "a leading pipe is an error, not a wait", lines: ["| grep x", "next"], command: "| grep x", taken: 1),
    Case(
      label: "a here-document reads to its delimiter", lines: ["cat <<EOF | grep b", "a", "b", "EOF", "next"],
      command: "cat <<EOF | grep b\na\nb\nEOF", taken: 4),
    Case(
      label: "<<- ends at a tab-indented delimiter", lines: ["cat <<-EOF", "\tline1", "\tEOF", "echo after"],
      command: "cat <<-EOF\n\tline1\n\tEOF", taken: 3),
    Case(
      label: "a backslash continues into a here-document", lines: ["oc apply \\", "-f - <<'EOF'", "kind: X \\", "EOF"],
      command: "oc apply -f - <<'EOF'\nkind: X \\\nEOF", taken: 4),
    Case(label: "<< inside quotes opens nothing", lines: ["echo \"a <<b\"", "next"], command: "echo \"a <<b\"", taken: 1),
    Case(
      label: "a here-document's body comes before the command a pipe waits for",
      lines: ["cat <<EOF |", "a", "b", "EOF", "grep -c b", "next"], command: "cat <<EOF | grep -c b\na\nb\nEOF", taken: 5),
    Case(
      label: "so does && after one", lines: ["oc apply -f - <<EOF &&", "kind: X", "EOF", "oc get cm", "next"],
      command: "oc apply -f - <<EOF && oc get cm\nkind: X\nEOF", taken: 4),
    Case(
      label: "two here-documents take both bodies, for the shell to refuse whole",
      lines: ["cat <<A <<B", "first", "A", "second", "B", "next"], command: "cat <<A <<B\nfirst\nA\nsecond\nB", taken: 5),
    Case(label: "a quoted delimiter may hold a blank", lines: ["cat <<\"E O\"", "x", "E O", "next"], command: "cat <<\"E O\"\nx\nE O", taken: 3),
    Case(
      label: "an open quote goes on after a newline", lines: ["grpcurl -d '{", "  \"name\": \"x\"", "}' host:443 a/b", "next"],
      command: "grpcurl -d '{\n  \"name\": \"x\"\n}' host:443 a/b", taken: 3),
    Case(label: "a backslash inside quotes stays", lines: ["echo 'a\\", "b'", "next"], command: "echo 'a\\\nb'", taken: 2),
    Case(
      label: "a quote closes before a here-document opened beside it reads its body",
      lines: ["cat <<EOF \"abc", "def\"", "body", "EOF", "next"], command: "cat <<EOF \"abc\ndef\"\nbody\nEOF", taken: 4),
  ]

  @Test(arguments: cases)
  func gathersOneCommand(_ test: Case) {
    var reader = ShellLineReader()
    var taken = 0
    for line in test.lines {
      taken += 1
      if reader.add(line) { break }
    }
    #expect(reader.command == test.command)
    #expect(taken == test.taken)
  }

  @Test func aHereDocumentCutShortByEndOfInputKeepsItsBodyAndWarnsAsBashDoes() throws {
    var reader = ShellLineReader()
    #expect(!reader.add("cat <<EOF") && !reader.add("partial"))
    #expect(reader.openHereDocument == "EOF")
    #expect(reader.closeAtEndOfInput() == "warning: here-document delimited by end-of-file (wanted `EOF')")
    #expect(reader.command == "cat <<EOF\npartial\nEOF")
    #expect(try ShellCommand(parsing: reader.command).hereDocument == "partial\n")
    #expect(reader.closeAtEndOfInput() == nil)
  }
}
