import ClusterModel
import ClusterTools
import Foundation
import LabKit
import Synchronization
import Testing

@testable import GrpcLabCLI

/// An environment whose files live in memory and whose output goes to one string, in order.
final class TestEnvironment: Sendable {
  let output = Mutex("")
  let input: Mutex<[String]>
  let store: MemoryWorkspaceFiles

  init(input: [String], files: [String: String] = [:]) {
    self.input = Mutex(input)
    store = MemoryWorkspaceFiles(files: files)
  }

  var environment: GrpcLabEnvironment {
    GrpcLabEnvironment(
      write: { text in self.output.withLock { $0 += text } },
      writeError: { text in self.output.withLock { $0 += text } },
      readLine: { prompt in
        self.input.withLock { lines in
          guard !lines.isEmpty else { return nil }
          let line = lines.removeFirst()
          self.output.withLock { $0 += prompt + line + "\n" }
          return line
        }
      },
      workingDirectory: "/home/learner", defaultWorkspace: "/home/learner/grpclab", randomSeed: { 7 }, files: store)
  }
}

final class MemoryWorkspaceFiles: WorkspaceFiles {
  let files: Mutex<[String: String]>
  /// Files written as bytes, as they were written; `files` holds their text.
  let binaries = Mutex<[String: Data]>([:])

  init(files: [String: String]) { self.files = Mutex(files) }

  func contents(of path: String) -> FileContents {
    files.withLock { files in
      if let text = files[path] { return .file(text) }
      let children = Set(files.keys.filter { $0.hasPrefix(path + "/") }.compactMap { $0.dropFirst(path.count + 1).split(separator: "/").first })
      return children.isEmpty ? .missing : .directory(children.map(String.init).sorted())
    }
  }

  func write(_ contents: String, to path: String) throws {
    binaries.withLock { $0[path] = nil }
    files.withLock { $0[path] = contents }
  }
  func bytes(of path: String) -> Data? {
    binaries.withLock { $0[path] } ?? files.withLock { $0[path].map { Data($0.utf8) } }
  }
  func write(bytes: Data, to path: String) throws {
    binaries.withLock { $0[path] = bytes }
    files.withLock { $0[path] = String(decoding: bytes, as: UTF8.self) }
  }
  func remove(_ path: String) throws {
    files.withLock { $0[path] = nil }
    binaries.withLock { $0[path] = nil }
  }
  func withLock<T>(_ path: String, holder: String, waiting: (String) -> Void, _ body: () throws -> T) throws -> T { try body() }
}

@Suite struct REPLTests {
  @Test func theShellRunsToolsAndVerbsAndSaves() throws {
    let test = TestEnvironment(input: ["oc new-project grpc | head -n 1", "hint", "oc get pods", "frob", "exit"])
    let status = GrpcLab.main(["start", "--seed", "7"], environment: test.environment)
    #expect(status == 127, "exit ends with the last command's status, as bash's does")
    #expect(test.output.withLock { $0 } == """
      gRPC load balancing in Kubernetes with Istio
      Type 'step' for the task, 'hint' for help, 'check' to verify, 'exit' to leave.

      grpc-lb [1/5] ❯ oc new-project grpc | head -n 1
      Now using project "grpc" on server "https://api.cluster.example.com:6443".
      grpc-lb [1/5] ❯ hint
      Hint 1/3: Projects come first: `oc new-project grpc` and `oc new-project test`.
      grpc-lb [1/5] ❯ oc get pods
      No resources found in grpc namespace.
      grpc-lb [1/5] ❯ frob
      grpclab: frob: command not found
      grpc-lb [1/5] ❯ exit

      """)
    let saved = test.store.contents(of: "/home/learner/grpclab/.grpclab/session.json")
    guard case .file(let json) = saved else {
      Issue.record("no save")
      return
    }
    #expect(json.contains("\"seed\":7"))
    #expect(test.store.contents(of: "/home/learner/grpclab/grpc-v1.yaml") != .missing)
  }

  @Test func theShellKeepsVariablesAcrossCommandsAndProcessesAndSaysWhatItCannotParse() throws {
    let test = TestEnvironment(input: [
      "oc new-project grpc", "export NS=$(oc project -q)", "N=3", "echo $NS $N", "echo ${NS", "echo 'open", "close'", "check && echo $N",
      "echo a; reset", "exit",
    ])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: test.environment) == 2)
    #expect(test.output.withLock { $0 }.hasSuffix("""
      grpc-lb [1/5] ❯ export NS=$(oc project -q)
      grpc-lb [1/5] ❯ N=3
      grpc-lb [1/5] ❯ echo $NS $N
      grpc 3
      grpc-lb [1/5] ❯ echo ${NS
      grpclab: unexpected EOF while looking for matching `}'
      grpc-lb [1/5] ❯ echo 'open
      > close'
      open
      close
      grpc-lb [1/5] ❯ check && echo $N
      grpclab: 'check' runs on a line of its own, not in a pipeline or a list, and without redirections
      grpc-lb [1/5] ❯ echo a; reset
      grpclab: 'reset' runs on a line of its own, not in a pipeline or a list, and without redirections
      grpc-lb [1/5] ❯ exit

      """))
    let again = TestEnvironment(input: ["echo \"$NS/$N\"", "exit"])
    again.store.files.withLock { $0 = test.store.files.withLock { $0 } }
    #expect(GrpcLab.main(["start"], environment: again.environment) == 0)
    #expect(again.output.withLock { $0 }.contains("❯ echo \"$NS/$N\"\ngrpc/3\n"))
  }

  /// The shell says that the step is complete right after the command that completed it, and only then.
  @Test func theShellSaysThatAStepIsCompleteAfterTheCommandThatCompletedIt() throws {
    let solution = try LabCatalog.lab("grpc-lb").steps[0].solution
    let test = TestEnvironment(input: solution + ["oc -n grpc get deploy", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: test.environment) == 0)
    let output = test.output.withLock { $0 }
    let complete = "✔ Step 1 complete: "
    #expect(output.components(separatedBy: complete).count == 2, "said once")
    let last = try #require(solution.last)
    let said = try #require(output.range(of: complete))
    let before = output[..<said.lowerBound]
    #expect(before.range(of: "❯ " + last) != nil && output[said.upperBound...].contains("❯ oc -n grpc get deploy"))
  }

  /// `solve` completes the step and says so once; a command after it that changes nothing the checks read
  /// says nothing more.
  @Test func theShellSaysOnceThatAStepIsComplete() {
    let test = TestEnvironment(input: ["solve", "oc -n grpc get deploy", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: test.environment) == 0)
    let output = test.output.withLock { $0 }
    let complete = "✔ Step 1 complete: "
    #expect(output.components(separatedBy: complete).count == 2, "said once")
    #expect(output.range(of: complete).map { output[$0.upperBound...].contains("❯ oc -n grpc get deploy") } == true, "after solve")
  }

  @Test func startUsesTheSeedItIsGiven() {
    let test = TestEnvironment(input: ["exit"])
    #expect(GrpcLab.main(["start", "--seed", "99"], environment: test.environment) == 0)
    guard case .file(let json) = test.store.contents(of: "/home/learner/grpclab/.grpclab/session.json") else {
      Issue.record("no save")
      return
    }
    #expect(json.contains("\"seed\":99"))
    #expect(GrpcLab.main(["start", "--seed", "99"], environment: test.environment) == 0, "the same seed opens the session")
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["start", "--seed", "5"], environment: test.environment) == 1)
    #expect(test.output.withLock { $0 } == """
      grpclab: the workspace '/home/learner/grpclab' holds a session of seed 99, not 5; run 'grpclab reset --seed 5' there first, or use \
      another folder with --workspace DIR

      """)
    #expect(test.store.contents(of: "/home/learner/grpclab/.grpclab/session.json") == .file(json))
    #expect(GrpcLab.main(["reset", "--seed", "5"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["start", "--seed", "5"], environment: test.environment) == 0)
  }

  /// `reset` starts the same lab again on the same seed, in the same language, as `reset --step 1` does.
  @Test func resetKeepsTheLabTheSeedAndTheLanguage() {
    let test = TestEnvironment(input: ["lang zh", "oc new-project circuit-breaking", "reset", "exit"])
    #expect(GrpcLab.main(["start", "--lab", "circuit-breaking", "--seed", "9"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["status"], environment: test.environment) == 0)
    let status = test.output.withLock { $0 }
    #expect(status.contains("circuit-breaking") && status.contains("种子") && status.contains(" 9\n"), "\(status)")
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["reset"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["status"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.hasSuffix(status))
  }

  @Test func runKeepsTheToolsExitStatusAndCheckReportsFigures() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["run", "--", "oc", "get", "frobs"], environment: test.environment) == 1)
    #expect(GrpcLab.main(["check"], environment: test.environment) == 1)
    #expect(test.output.withLock { $0 }.hasSuffix("""
      ✘ 3 grpc pods are Running — observed 0 pods; expected exactly 3
      ✘ the last client call made 25 calls — observed 0 calls; expected exactly 25
      ✘ exactly one pod served all calls — observed 0 pods; expected exactly 1

      """))
  }

  @Test func aDamagedSaveNamesReset() {
    let test = TestEnvironment(input: [], files: ["/home/learner/grpclab/.grpclab/session.json": "{ not json"])
    #expect(GrpcLab.main(["status"], environment: test.environment) == 1)
    #expect(test.output.withLock { $0 } == """
      grpclab: the saved session in '/home/learner/grpclab' is damaged (its first line is not JSON); run 'grpclab reset' to start \
      the lab again

      """)
    #expect(GrpcLab.main(["reset"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["status"], environment: test.environment) == 0)
    test.store.files.withLock { $0["/home/learner/grpclab/.grpclab/session.json"] = "{ not json" }
    #expect(GrpcLab.main(["reset", "--seed", "9"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["status"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.contains("seed:       9\n"), "a lost save starts again on the seed asked for")
  }

  @Test func certsWritesUsableCertificatesIntoTheWorkspaceFromTheShell() throws {
    let test = TestEnvironment(input: ["certs --out fresh --host grpc.apps.cluster.example.com", "exit"])
    #expect(GrpcLab.main(["start"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.contains("wrote fresh/gateway.crt\n"))
    let files = test.store.files.withLock { $0 }
    let gateway = try TLSIdentity(
      certificates: try #require(files["/home/learner/grpclab/fresh/gateway.crt"]),
      key: try #require(files["/home/learner/grpclab/fresh/gateway.key"]))
    let roots = try PEM.certificates(in: try #require(files["/home/learner/grpclab/fresh/ca.crt"]))
    let client = try PEM.certificates(in: try #require(files["/home/learner/grpclab/fresh/client.example.com.crt"]))
    let rogue = try PEM.certificates(in: try #require(files["/home/learner/grpclab/fresh/rogue.crt"]))
    let now = Cluster.labStartTime
    #expect(verifyChain(gateway.chain, roots: roots, at: now, purpose: .server, host: "grpc.apps.cluster.example.com") == nil)
    #expect(verifyChain(client, roots: roots, at: now, purpose: .client) == nil)
    #expect(verifyChain(client, roots: roots, at: now, purpose: .server, host: "client.example.com") == .incompatibleUsage)
    #expect(verifyChain(rogue, roots: roots, at: now, purpose: .client) == .unknownAuthority)
  }

  @Test func aSaveFromBeforeTheLearnersClockStillLoads() {
    let save = """
      {"completed":[],"hintsShown":0,"journal":[{"changed":true,"files":{},"line":"oc new-project grpc","workingDirectory":"/w"}],\
      "lab":"grpc-lb","language":"en","seed":7,"step":0,"version":1}
      """
    let test = TestEnvironment(input: [], files: ["/home/learner/grpclab/.grpclab/session.json": save])
    #expect(GrpcLab.main(["run", "--", "oc", "get", "ns", "grpc"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.contains("grpc "))
  }

  @Test func certsRefusesNamesThatAreNotDNSNames() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["certs", "--client", "../escape"], environment: test.environment) == 2)
    #expect(test.output.withLock { $0 } == "grpclab: --client must be a DNS name (lower-case letters, digits, '-' and '.'), not '../escape'\n")
    #expect(test.store.files.withLock { $0 }.isEmpty)
  }
}

@Suite struct ShellCommandsTests {
  @Test func catLsClearAndUnknownProgramsInTheShell() {
    let test = TestEnvironment(input: ["cat smmr.yaml | head -n 2", "ls | grep -c yaml", "clear", "kubeclt get pods", "cat x", "status", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: test.environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.contains("❯ cat smmr.yaml | head -n 2\napiVersion: maistra.io/v1\nkind: ServiceMeshMemberRoll\n"))
    #expect(output.contains("❯ ls | grep -c yaml\n14\n"))
    #expect(output.contains("❯ clear\n\u{1B}[H\u{1B}[2J\u{1B}[3J"))
    #expect(output.contains("❯ kubeclt get pods\ngrpclab: kubeclt: command not found; did you mean kubectl?\n"))
    #expect(output.contains("❯ cat x\ncat: x: No such file or directory\n"))
    #expect(output.contains("commands:   0\n"), "reading files is not journaled")
  }

  /// A command pasted over several lines runs once, whole, as bash runs it.
  @Test func aCommandGoesOnAfterABackslashOrAPipeAndAHereDocumentEndsAtItsDelimiter() {
    let test = TestEnvironment(input: [
      "oc new-project grpc \\", "  --display-name=g | head \\", "-n 1", "ls |", "grep -c yaml", "cat <<-EOF", "\tline1", "\tEOF",
      "echo after", "cat <<EOF |", "a", "b", "EOF", "grep -c b", "echo '{", "  \"x\": 1", "}' | wc -l", "cat <<EOF", "cut short",
    ])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.hasSuffix("""
      grpc-lb [1/5] ❯ oc new-project grpc \\
      >   --display-name=g | head \\
      > -n 1
      Now using project "grpc" on server "https://api.cluster.example.com:6443".
      grpc-lb [1/5] ❯ ls |
      > grep -c yaml
      14
      grpc-lb [1/5] ❯ cat <<-EOF
      > \tline1
      > \tEOF
      line1
      grpc-lb [1/5] ❯ echo after
      after
      grpc-lb [1/5] ❯ cat <<EOF |
      > a
      > b
      > EOF
      > grep -c b
      1
      grpc-lb [1/5] ❯ echo '{
      >   "x": 1
      > }' | wc -l
      3
      grpc-lb [1/5] ❯ cat <<EOF
      > cut short
      grpclab: warning: here-document delimited by end-of-file (wanted `EOF')
      cut short

      """))
  }

  /// An input of several lines (a here-document recalled from history, or pasted commands) runs as the
  /// lines it holds would, one command after the other.
  @Test func anInputOfSeveralLinesRunsAsItsLines() {
    let test = TestEnvironment(input: ["cat <<EOF\nx\nEOF", "echo a\necho b", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.hasSuffix("""
      grpc-lb [1/5] ❯ cat <<EOF
      x
      EOF
      x
      grpc-lb [1/5] ❯ echo a
      echo b
      a
      b
      grpc-lb [1/5] ❯ exit

      """))
  }

  /// Redirections send a program's streams to the pipe, the terminal or nowhere, and read files; the
  /// shell writes none. What the commands of a line write comes out in the order they wrote it.
  @Test func redirectionsRouteStreamsAndReadFilesButWriteNone() {
    let test = TestEnvironment(input: [
      "oc get pod nosuch 2>/dev/null", "oc get pod nosuch 2>&1 | grep -c NotFound", "oc get pod nosuch >/dev/null 2>&1 || echo failed",
      "oc get pods -n default >/dev/null", "echo hi >&2 | grep -c hi", "grep -c kind < smmr.yaml", "echo hi > out.txt",
      "cat < nosuch && echo ran", "oc get pod nosuch; echo after", "> out.txt", "grep -c x < /dev/null", "cat < /etc/passwd", "status",
    ])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: test.environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.contains("""
      ❯ oc get pod nosuch 2>/dev/null
      grpc-lb [1/5] ❯ oc get pod nosuch 2>&1 | grep -c NotFound
      1
      grpc-lb [1/5] ❯ oc get pod nosuch >/dev/null 2>&1 || echo failed
      failed
      grpc-lb [1/5] ❯ oc get pods -n default >/dev/null
      No resources found in default namespace.
      grpc-lb [1/5] ❯ echo hi >&2 | grep -c hi
      hi
      0
      grpc-lb [1/5] ❯ grep -c kind < smmr.yaml
      1
      grpc-lb [1/5] ❯ echo hi > out.txt
      grpclab: out.txt: the lab shell writes no files; redirect output only to /dev/null
      grpc-lb [1/5] ❯ cat < nosuch && echo ran
      grpclab: nosuch: No such file or directory
      grpc-lb [1/5] ❯ oc get pod nosuch; echo after
      Error from server (NotFound): pods "nosuch" not found
      after
      grpc-lb [1/5] ❯ > out.txt
      grpclab: out.txt: the lab shell writes no files; redirect output only to /dev/null
      grpc-lb [1/5] ❯ grep -c x < /dev/null
      0
      grpc-lb [1/5] ❯ cat < /etc/passwd
      grpclab: /etc/passwd: Permission denied
      grpc-lb [1/5] ❯ status
      """))
    #expect(test.store.contents(of: "/home/learner/grpclab/out.txt") == .missing)
  }

  /// `$?` is the exit status of the shell's last line, or of the last pipeline run on the same line.
  @Test func theLastStatusIsThereForTheNextCommand() {
    let test = TestEnvironment(input: [
      "oc get pod nosuch 2>/dev/null", "echo $?", "echo \"${?}\"", "frob", "echo $?", "oc get pod nosuch 2>&1 | grep -c x; echo $? $?",
      "echo $(oc get pod nosuch 2>/dev/null) $?",
      "status >/dev/null", "echo $?", "true && false || echo $?", "X=1 >/dev/null", "echo $X", "exit 1 2", "N=3", "exit $N",
    ])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: test.environment) == 3, "exit 3 is the shell's status")
    #expect(test.output.withLock { $0 }.contains("""
      ❯ oc get pod nosuch 2>/dev/null
      grpc-lb [1/5] ❯ echo $?
      1
      grpc-lb [1/5] ❯ echo "${?}"
      0
      grpc-lb [1/5] ❯ frob
      grpclab: frob: command not found
      grpc-lb [1/5] ❯ echo $?
      127
      grpc-lb [1/5] ❯ oc get pod nosuch 2>&1 | grep -c x; echo $? $?
      0
      1 1
      grpc-lb [1/5] ❯ echo $(oc get pod nosuch 2>/dev/null) $?
      1
      grpc-lb [1/5] ❯ status >/dev/null
      grpclab: 'status' runs on a line of its own, not in a pipeline or a list, and without redirections
      grpc-lb [1/5] ❯ echo $?
      2
      grpc-lb [1/5] ❯ true && false || echo $?
      1
      grpc-lb [1/5] ❯ X=1 >/dev/null
      grpc-lb [1/5] ❯ echo $X
      1
      grpc-lb [1/5] ❯ exit 1 2
      grpclab: exit: too many arguments
      grpc-lb [1/5] ❯ N=3
      grpc-lb [1/5] ❯ exit $N
      """))
  }

  @Test func resetWorksInsideTheShellAndKeepsItsLanguage() {
    let test = TestEnvironment(input: ["reset --step 3", "status", "reset", "step", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7", "--lang", "zh"], environment: test.environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.contains("步骤：    3/5 strict-pool\n"))
    #expect(output.contains("❯ step\n[1/5] 没有服务网格的 gRPC\n"))
  }

  @Test func theWholeLabInChineseShowsNoEnglishOfItsOwn() {
    let test = TestEnvironment(input: [
      "help", "step", "hint", "check", "next", "solve", "why", "status", "list", "kubeclt", "next", "kiali graph -n grpc,test",
      "goto 3", "undo", "certs --out c2", "reset --step 9", "run", "frob", "exit",
    ])
    #expect(GrpcLab.main(["start", "--seed", "7", "--lang", "zh"], environment: test.environment) == 127, "exit ends with frob's status")
    let own = test.output.withLock { $0 }.split(separator: "\n").filter { line in
      !line.hasPrefix("$ ") && !line.contains("❯") && !line.hasPrefix("  ")
    }
    let english = ["Type ", "Step ", "observed", "expected", "Undid", "Hint", "wrote", "command not found", "A fresh cluster",
      "Lab commands", "Workload graph", "probability", "missing command", "no step", "is not available"]
    for line in own {
      for phrase in english { #expect(!line.contains(phrase), "'\(line)' is English") }
    }
  }

  /// A terminal for `test` where each lab second is a pause, the first `limit` of them before Ctrl-C; at
  /// pause N another terminal runs `elsewhere[N]` on the same workspace. The counter counts the pauses.
  static func terminal(for test: TestEnvironment, limit: Int, elsewhere: [Int: [String]]) -> (GrpcLabEnvironment, Counter) {
    let other = TestEnvironment(input: [])
    let pauses = Counter()
    var environment = test.environment
    environment.interactive = true
    environment.pause = { _ in
      let count = pauses.next()
      if let line = elsewhere[count] {
        var there = other.environment
        there.files = test.store
        _ = GrpcLab.main(["run", "--"] + line, environment: there)
      }
      return count < limit
    }
    return (environment, pauses)
  }

  /// Counts, from any thread.
  final class Counter: Sendable {
    private let count = Mutex(0)
    /// The count after one more.
    func next() -> Int { count.withLock { $0 += 1; return $0 } }
    /// The count so far.
    var value: Int { count.withLock { $0 } }
  }

  @Test func aWatchShowsWhatAnotherTerminalDoesAtTheLabsPace() {
    let test = TestEnvironment(input: ["goto 3", "oc -n grpc get pods -w", "oc -n grpc get pods | grep -c Running", "exit"])
    let (environment, _) = Self.terminal(
      for: test, limit: 15, elsewhere: [2: ["oc", "-n", "grpc", "delete", "pod", "-l", "app=grpc", "--wait=false"]])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: environment) == 0)
    let output = test.output.withLock { $0 }
    guard let watch = output.range(of: "❯ oc -n grpc get pods -w\n") else {
      Issue.record("no watch")
      return
    }
    let rows = output[watch.upperBound...].prefix { $0 != "❯" }
    #expect(rows.contains("2/2   Terminating"), "\(rows)")
    #expect(rows.contains("0/2   ContainerCreating"))
    #expect(rows.contains("0/2   Terminating"), "the deleted pods print as stopped")
    #expect(output.contains("❯ oc -n grpc get pods | grep -c Running\n3\n"))
  }

  /// The lines a followed log printed on a terminal, on step `step`, while another terminal calls the
  /// greeter (after 2 lab seconds) and deletes the pods of namespace `deleting` (after 4); nil when it did
  /// not end with the pods before Ctrl-C.
  static func followed(_ command: String, step: Int, deleting: String) -> [Substring]? {
    let test = TestEnvironment(input: ["goto \(step)", command, "exit"])
    let (environment, pauses) = Self.terminal(
      for: test, limit: 100,
      elsewhere: [
        2: ["oc", "-n", "test", "exec", "deploy/grpc-client", "--", "curl", "-s", "http://localhost:8080/hello/grpc"],
        4: ["oc", "-n", deleting, "delete", "pod", "-l", "app=grpc", "--wait=false"],
      ])
    guard GrpcLab.main(["start", "--seed", "7"], environment: environment) == 0, (4..<100).contains(pauses.value),
      let follow = test.output.withLock({ $0 }).range(of: "❯ \(command)\n")
    else { return nil }
    return Array(test.output.withLock { $0 }[follow.upperBound...].prefix { $0 != "❯" }.split(separator: "\n").dropLast())
  }

  /// `oc logs -f` prints the lines the container writes next, here the client's replies to a call made in
  /// another terminal, and ends when its pod goes.
  @Test func aFollowedLogShowsNewLinesUntilItsPodGoes() throws {
    let lines = try #require(Self.followed("oc -n test logs deploy/grpc-client --tail=1 -f", step: 2, deleting: "test"))
    #expect(lines.count == 26, "the last line of the first call, then the 25 replies to the second")
    #expect(lines.allSatisfy { $0.hasPrefix("Hello ") }, "\(lines)")
  }

  /// `oc logs -f -l` follows every pod the selector matched, each line after its pod and container with
  /// `--prefix`, and ends when they have all gone.
  @Test func aFollowedSelectorShowsEveryPodsNewLines() throws {
    let lines = try #require(Self.followed("oc -n grpc logs -l app=grpc --prefix --tail=1 -f", step: 3, deleting: "grpc"))
    let pods = Set(lines.map { $0.prefix { $0 != "]" } })
    #expect(pods.count == 3 && pods.allSatisfy { $0.hasPrefix("[pod/grpc-v") && $0.hasSuffix("/custom-grpc-hello") }, "\(pods)")
    #expect(lines.count == 3 + 25, "the last line of each pod, then a line for each of the 25 calls")
  }

  @Test func offATerminalAWatchEndsWhenNothingIsPending() {
    let test = TestEnvironment(input: ["oc get pods -w -n istio-system", "status", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.contains("commands:   1\n"), "only the listing: nothing was pending")
  }

  @Test func aWatchOnATerminalGoesOnUntilCtrlC() {
    let test = TestEnvironment(input: ["oc get pods -w", "status", "exit"])
    let pauses = Mutex(0)
    var environment = test.environment
    environment.interactive = true
    environment.pause = { _ in pauses.withLock { $0 += 1; return $0 < 30 } }
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: environment) == 0)
    #expect(pauses.withLock { $0 } == 30, "it waits a second for each lab second, until Ctrl-C")
    #expect(test.output.withLock { $0 }.contains("commands:   2\n"), "the listing and the lab seconds it followed")
  }

  @Test func theShellLivesOnWhenAnotherTerminalDamagesTheSave() {
    let test = TestEnvironment(input: ["oc new-project grpc", "status", "reset", "status", "exit"])
    var environment = test.environment
    let read = environment.readLine
    environment.readLine = { prompt in
      let line = read(prompt)
      if line == "status", test.output.withLock({ !$0.contains("damaged") }) {
        test.store.files.withLock { $0["/home/learner/grpclab/.grpclab/session.json"] = "{ not json" }
      }
      return line
    }
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.contains("❯ status\ngrpclab: the saved session in '/home/learner/grpclab' is damaged (its first line is no session); run 'grpclab reset' to start the lab again\n"))
    #expect(output.contains("❯ reset\nThe lab in '/home/learner/grpclab' starts again from a fresh cluster on next use.\n"))
    #expect(output.hasSuffix("commands:   0\nworkspace:  /home/learner/grpclab\n\ngrpc-lb [1/5] ❯ exit\n"))
  }
}
