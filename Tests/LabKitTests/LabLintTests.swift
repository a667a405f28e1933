import Testing

@testable import LabKit

@Suite struct LabLintTests {
  @Test(arguments: LabCatalog.ids) func theBuiltInLabsHaveNoProblems(_ id: String) throws {
    let yaml = try #require(EmbeddedLabs.files["\(id)/lab.yaml"])
    let lab = try LabCatalog.lab(id)
    #expect(LabLint.problems(yaml: yaml, path: "lab.yaml") { lab.files.contains($0) } == [])
  }

  /// A sound lab of one step with one check, whose query (line 14) and expectation (line 15) are given.
  static func lab(check query: String, expect: String) -> String {
    """
    id: x
    title: {en: X, zh: X}
    files: []
    steps:
      - id: one
        title: {en: One, zh: 一}
        text: {en: Do it., zh: 做。}
        solution: [oc get pods]
        hints: [{en: Look., zh: 看。}]
        explain: {en: Because., zh: 因为。}
        checks:
          - id: c
            text: {en: a check, zh: 检查}
            \(query)
            expect: \(expect)
    """
  }

  @Test func aProxyStatNamesAStatTheSidecarsKeep() {
    let yaml = Self.lab(check: "proxyStat: {namespace: grpc, selector: app=fortio, stat: upstream_rq_pending_overflows}", expect: "{atLeast: 1}")
    let problems = LabLint.problems(yaml: yaml, path: "lab.yaml") { _ in true }
    #expect(problems == [
      "lab.yaml:14:66: check 'c': 'upstream_rq_pending_overflows' is not a per-cluster stat the sidecars keep, as 'pilot-agent request GET stats' names it after 'cluster.<name>.'"
    ])
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
      "broken/lab.yaml:18:26: 'equals' of check 'c' must be a whole number from 0: the figures are counts",
    ])
  }

  /// A lab that could never be walked or passed: no steps, empty texts, statuses no pod shows, and
  /// expectations no figure meets.
  @Test func whatNoLearnerCouldPassIsAProblem() {
    let yaml = """
      id: empty
      title: {en: Empty, zh: ""}
      files: []
      steps: []
      """
    #expect(LabLint.problems(yaml: yaml, path: "lab.yaml") { _ in true } == [
      "lab.yaml:2:24: the lab's title has an empty zh text",
      "lab.yaml:4:8: a lab needs at least one step",
    ])
    #expect(LabLint.problems(yaml: Self.lab(check: "pods: {namespace: grpc, selector: app=grpc, status: Runing, ready: two}", expect: "{equals: -2}"), path: "lab.yaml") { _ in true } == [
      "lab.yaml:14:61: check 'c': 'Runing' is no status the lab shows in a pod's STATUS column (Pending, ContainerCreating, PodInitializing, Running, Terminating, ErrImagePull, ImagePullBackOff, CrashLoopBackOff)",
      "lab.yaml:14:76: check 'c': 'ready' is READY/TOTAL containers, such as 2/2, not 'two'",
      "lab.yaml:15:26: 'equals' of check 'c' must be a whole number from 0: the figures are counts",
    ])
    #expect(LabLint.problems(yaml: Self.lab(check: "calls: {}", expect: "{equals: 3, atMost: 1}"), path: "lab.yaml") { _ in true } == [
      "lab.yaml:15:26: 'equals' of check 'c' stands alone, without atLeast or atMost",
    ])
    #expect(LabLint.problems(yaml: Self.lab(check: "calls: {}", expect: "{atLeast: 3, atMost: 1}"), path: "lab.yaml") { _ in true } == [
      "lab.yaml:15:17: the expectation of check 'c' can never hold: atLeast 3 is more than atMost 1",
    ])
  }

  /// YAML that does not parse is one problem at its place, as every other problem is.
  @Test(arguments: [
    ("id: x\nsteps:\n  - a\n  b: c\n", "lab.yaml:4:3: while parsing a block collection: did not find expected '-' indicator"),
    ("id: x\nid: y\n", "lab.yaml:1:1: the key 'id' is given twice"),
  ])
  func yamlThatDoesNotParseIsOneProblemLine(yaml: String, problem: String) {
    #expect(LabLint.problems(yaml: yaml, path: "lab.yaml") { _ in true } == [problem])
  }
}
