import ClusterModel
import Testing

@testable import ClusterTools

/// `cat` and `ls` read the workspace, only the workspace, and never touch the cluster.
@Suite struct FileReadersTests {
  /// Paths resolve as the kernel resolves them: at every `/` byte, even one a combining mark follows.
  @Test(arguments: [
    ("/lab", "grpc.yaml", "/lab/grpc.yaml"), ("/lab", "./a/../b.yaml", "/lab/b.yaml"), ("/lab", "../../..", "/"),
    ("/lab/", "a//b", "/lab/a/b"), ("/", "/etc/../x", "/x"), ("/lab", "a/\u{301}b", "/lab/a/\u{301}b"),
    ("/lab", "x/.\u{301}", "/lab/x/.\u{301}"), ("/lab", "a/\u{301}/..", "/lab/a"), ("/lab", "...", "/lab/..."),
  ])
  func pathsJoinAsTheKernelReadsThem(directory: String, path: String, joined: String) {
    #expect(Invocation.join(directory, path) == joined)
  }

  struct Case: CustomTestStringConvertible, Sendable {
    var line: String
    var result: ToolResult
    var testDescription: String { line }
  }

  static let files = MemoryFiles(files: [
    "/lab/a.yaml": "kind: A\n", "/lab/b.yaml": "kind: B\n", "/lab/.grpclab/session.json": "{}\n", "/lab/certs/ca.crt": "PEM\n",
    "/etc/passwd": "root\n",
  ])

  @Test(arguments: [
    Case(line: "cat a.yaml b.yaml", result: ToolResult(stdout: "kind: A\nkind: B\n")),
    Case(line: "cat a.yaml | grep -c kind", result: ToolResult(stdout: "1\n")),
    Case(line: "cat nope certs a.yaml", result: ToolResult(
      stdout: "kind: A\n", stderr: "cat: nope: No such file or directory\ncat: certs: Is a directory\n", exitCode: 1)),
    Case(line: "cat /etc/passwd", result: ToolResult(stderr: "cat: /etc/passwd: Permission denied\n", exitCode: 1)),
    Case(line: "cat ../etc/passwd", result: ToolResult(stderr: "cat: ../etc/passwd: Permission denied\n", exitCode: 1)),
    Case(line: "cat -n a.yaml", result: ToolResult(stderr: "cat: invalid option -- 'n'\nTry 'cat --help' for more information.\n", exitCode: 1)),
    Case(line: "ls", result: ToolResult(stdout: "a.yaml\nb.yaml\ncerts\n")),
    Case(line: "ls -p", result: ToolResult(stdout: "a.yaml\nb.yaml\ncerts/\n")),
    Case(line: "ls -a certs", result: ToolResult(stdout: ".\n..\nca.crt\n")),
    Case(line: "ls . nope", result: ToolResult(
      stdout: ".:\na.yaml\nb.yaml\ncerts\n", stderr: "ls: cannot access 'nope': No such file or directory\n", exitCode: 2)),
    Case(line: "ls /etc", result: ToolResult(stderr: "ls: cannot open directory '/etc': Permission denied\n", exitCode: 2)),
    Case(line: "ls -z", result: ToolResult(stderr: "ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n", exitCode: 2)),
  ])
  func readsTheWorkspaceOnly(_ test: Case) {
    var session = ToolSession(cluster: Cluster(seed: 3))
    let before = session
    #expect(session.run(test.line, files: Self.files, workingDirectory: "/lab").0 == test.result)
    #expect(session == before)
  }

  @Test func onlyWorkspaceProgramsAreLocal() {
    #expect(ToolSession.isLocal("cat a.yaml | grep kind | wc -l"))
    #expect(!ToolSession.isLocal("cat a.yaml | oc apply -f -"))
    #expect(!ToolSession.isLocal("oc get pods | grep Running"))
  }
}
