import ClusterModel
import Testing

@testable import ClusterTools

/// `-o jsonpath=…`, for the forms learners type.
@Suite struct JSONPathTests {
  static func get(_ template: String, _ extra: String = "") -> ToolResult {
    var (session, _) = PodTerminationTests.running()
    _ = session.run("oc -n demo label deploy web tier=front", files: MemoryFiles(files: [:]), workingDirectory: "/lab")
    return session.run("oc -n demo get \(extra)-o '\(template)'", files: MemoryFiles(files: [:]), workingDirectory: "/lab").0
  }

  @Test(arguments: [
    ("jsonpath={.spec.domain}", "ingresses.config/cluster ", "apps.cluster.example.com"),
    ("jsonpath={.items[*].metadata.name}", "deploy ", "web"),
    ("jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.spec.replicas}{\"\\n\"}{end}", "deploy ", "web\t1\n"),
    ("jsonpath={.metadata.labels}", "deploy web ", "{\"tier\":\"front\"}"),
    ("jsonpath={.items[?(@.status.phase==\"Running\")].status.containerStatuses[0].ready}", "pods ", "true"),
    ("jsonpath=name: {.metadata.name}, missing: {.spec.nope}.", "deploy web ", "name: web, missing: ."),
    ("jsonpath={.items[-1].kind}", "deploy ", "Deployment"),
  ])
  func templatesPrintAsKubectlDoes(template: String, target: String, expected: String) {
    #expect(Self.get(template, target) == ToolResult(stdout: expected))
  }

  @Test func aTemplateThatDoesNotParseIsRefused() {
    #expect(Self.get("jsonpath={.items[0", "deploy ") == ToolResult(
      stderr: "error: error parsing jsonpath {.items[0, unclosed action\n", exitCode: 1))
    #expect(Self.get("jsonpath={range .items[*]}{.metadata.name}", "deploy ") == ToolResult(
      stderr: "error: error parsing jsonpath {range .items[*]}{.metadata.name}, range without end\n", exitCode: 1))
  }
}
