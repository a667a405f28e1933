import ClusterTools
import Testing

@testable import LabKit

/// Files in memory, by name.
private struct NamedFiles: FileSource {
  var files: [String: String]

  func contents(of path: String) -> FileContents {
    files[path.split(separator: "/").last.map(String.init) ?? ""].map { .file($0) } ?? .missing
  }
}

/// A second, tiny lab: the format is not tied to grpc-lb.
private let scaleLab = """
  id: scale
  title: {en: Scale a deployment, zh: 扩缩容}
  files: [web.yaml]
  steps:
    - id: two-replicas
      title: {en: Two replicas, zh: 两个副本}
      text: {en: Run two greeters., zh: 运行两个 greeter。}
      solution:
        - oc new-project demo
        - oc apply -f web.yaml
        - oc scale deploy/web --replicas=2
        - oc get pods -n demo
      hints:
        - {en: Scale it., zh: 扩容。}
      explain: {en: The ReplicaSet creates a second pod., zh: ReplicaSet 会再创建一个 Pod。}
      checks:
        - id: two-running
          text: {en: 2 web pods are Running, zh: 2 个 web Pod 处于 Running 状态}
          pods: {namespace: demo, selector: app=web, status: Running}
          expect: {equals: 2}
  """

private let web = """
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers:
          - {name: web, image: registry.redhat.io/openshift4/ose-oauth-proxy:v4.12}
  """

@Suite struct LabSelfTestTests {
  @Test func aSecondLabPassesItsSelfTest() throws {
    let lab = try Lab(yaml: scaleLab, source: "scale/lab.yaml")
    #expect(LabSelfTest.problems(of: lab, files: NamedFiles(files: ["web.yaml": web]), workingDirectory: "/lab", seeds: [1, 2]) == [])
  }

  @Test func theSelfTestReportsWhatIsWrong() throws {
    var lab = try Lab(yaml: scaleLab, source: "scale/lab.yaml")
    lab.steps[0].solution.remove(at: 2)
    lab.steps[0].hints[0].zh = nil
    let problems = LabSelfTest.problems(of: lab, files: NamedFiles(files: ["web.yaml": web]), workingDirectory: "/lab", seeds: [1])
    #expect(problems == [
      "scale: step 1 (two-replicas) hint 1 has no zh text",
      "scale step 1 (two-replicas), seed 1: after the solution, '2 web pods are Running': observed 1 pod; expected exactly 2",
    ])
  }

  @Test func theBuiltInLabPassesItsSelfTest() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    #expect(LabSelfTest.problems(of: lab, files: LabCatalog.fileSource(of: lab), workingDirectory: "/lab", seeds: [11, 12]) == [])
  }
}
