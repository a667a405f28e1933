import Testing

@testable import LabKit

@Suite struct LabLintTests {
  @Test func theBuiltInLabHasNoProblems() throws {
    let yaml = try #require(EmbeddedLabs.files["grpc-lb/lab.yaml"])
    let lab = try LabCatalog.lab("grpc-lb")
    #expect(LabLint.problems(yaml: yaml, path: "lab.yaml") { lab.files.contains($0) } == [])
  }

  @Test func problemsCarryTheirPlace() {
    let yaml = """
      id: broken
      title: {en: Broken}
      files: [missing.yaml]
      colour: blue
      steps:
        - id: one
          title: {en: One, zh: 一}
          text: {en: Do it., zh: 做。}
          solution:
            - oc get pods |
            - rm -rf /
            - {run: grpcurl x, exit: 0}
          checks:
            - id: c
              text: {en: pods, zh: Pod}
              pods: {namespace: grpc, selector: "app in (x"}
              calls: {}
              expect: {equals: many}
      """
    #expect(LabLint.problems(yaml: yaml, path: "broken/lab.yaml") { _ in false } == [
      "broken/lab.yaml:4:1: unknown key 'colour' in lab (allowed: id, title, files, steps)",
      "broken/lab.yaml:2:8: the lab's title has no zh text",
      "broken/lab.yaml:3:9: the file 'missing.yaml' is listed but missing",
      "broken/lab.yaml:6:5: a step lacks 'hints'",
      "broken/lab.yaml:6:5: a step lacks 'explain'",
      "broken/lab.yaml:10:9: the command does not parse: syntax error near unexpected token `|'",
      "broken/lab.yaml:11:9: 'rm' is not a program the lab shell runs",
      "broken/lab.yaml:12:32: 'exit' of a solution command must be a non-zero exit status",
      "broken/lab.yaml:14:9: check 'c' must name exactly one query of pods, calls, servingPods, idlePods, newConnections, reusedConnections, routes, workstationCalls, overflowedCalls, proxyStat; it names 2",
      "broken/lab.yaml:16:43: check 'c': unable to parse requirement: invalid label selector \"app in (x\"",
      "broken/lab.yaml:18:26: 'equals' of check 'c' must be a whole number",
    ])
  }
}
