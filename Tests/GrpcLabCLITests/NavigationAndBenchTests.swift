import ClusterTools
import LabKit
import Synchronization
import Testing

@testable import GrpcLabCLI

@Suite struct NavigationAndBenchTests {
  @Test func nextPrevAndGotoMoveBetweenSteps() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["next"], environment: test.environment) == 1)
    #expect(test.output.withLock { $0 } == """
      Step 1's checks do not all pass yet:
      ✘ 3 grpc pods are Running — observed 0 pods; expected exactly 3
      ✘ the last client call made 25 calls — observed 0 calls; expected exactly 25
      ✘ exactly one pod served all calls — observed 0 pods; expected exactly 1
      Type 'next --force' to move on anyway.

      """)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["next", "--force"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.hasPrefix("[2/5] Add the service mesh\n"))
    #expect(GrpcLab.main(["prev"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["goto", "relaxed-pool"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.hasPrefix("A fresh cluster with steps 1–3 solved. Type 'undo' to go back.\n\n[4/5] A relaxed"))
    #expect(GrpcLab.main(["check"], environment: test.environment) == 1)
    #expect(test.output.withLock { $0 }.hasSuffix("""
      ✔ the last client call made 25 calls
      ✘ the client's sidecar opened at most one new connection per grpc pod — observed 25 connections; expected at most 3
      ✘ most calls reused a connection — observed 0 calls; expected at least 13

      """))
    #expect(GrpcLab.main(["goto", "9"], environment: test.environment) == 2)
    #expect(test.output.withLock { $0 }.hasSuffix(
      "grpclab: no step '9' in grpc-lb (1–5 or plain-kubernetes, add-mesh, strict-pool, relaxed-pool, ingress-mtls)\n"))
  }

  @Test func solveWhyUndoListAndLang() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["solve"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.hasPrefix("$ oc new-project grpc\nNow using project"))
    #expect(GrpcLab.main(["check"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["why"], environment: test.environment) == 0)
    let why = test.output.withLock { $0 }
    #expect(why.contains("kube-proxy picked grpc-v"))
    #expect(why.contains("All 25 calls rode that connection as HTTP/2 streams 1, 3, …, 49"))
    #expect(GrpcLab.main(["run", "--", "oc", "-n", "grpc", "delete", "pod", "-l", "app=grpc"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["undo"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 } == "Undid: oc -n grpc delete pod -l app=grpc\n")
    #expect(GrpcLab.main(["check"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["list"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.contains("    ✔ 1. plain-kubernetes  gRPC without a mesh\n"))
    #expect(test.output.withLock { $0 }.contains(" 2. add-mesh          "), "the titles line up")
    #expect(GrpcLab.main(["lang", "zh"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["step"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.hasSuffix("这 25 次调用由哪些 Pod 处理？\n"))
    #expect(GrpcLab.main(["next"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["check"], environment: test.environment) == 1)
    #expect(test.output.withLock { $0 }.contains("✘ 每个 grpc Pod 至少处理了一次调用 — 3 个 Pod 中有 1 个，应为全部 3 个\n"))
    #expect(GrpcLab.main(["run", "--", "oc", "get", "pods"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["undo"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.hasSuffix("已撤销：oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc\n"))
    #expect(GrpcLab.main(["lang", "fr"], environment: test.environment) == 2)
    #expect(GrpcLab.main(["check", "--bogus"], environment: test.environment) == 2)
  }

  @Test func aNewWorkspaceOpensTheLabItIsAskedForAndKeepsIt() throws {
    let test = TestEnvironment(input: ["list --labs", "exit"])
    #expect(GrpcLab.main(["start", "--lab", "circuit-breaking", "--seed", "3"], environment: test.environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.hasPrefix("Circuit breaking with Istio\n"))
    #expect(output.contains("* circuit-breaking  Circuit breaking with Istio\n  grpc-lb           gRPC load balancing in Kubernetes with Istio\n"))
    #expect(!output.contains("1. deploy-httpbin"), "--labs lists the labs without the steps")
    #expect(test.store.files.withLock { $0["/home/learner/grpclab/httpbin.yaml"] } != nil)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["start", "--lab", "grpc-lb"], environment: test.environment) == 1)
    #expect(test.output.withLock { $0 } == "grpclab: the workspace '/home/learner/grpclab' holds the lab 'circuit-breaking', not 'grpc-lb'; open 'grpc-lb' in another folder with --workspace DIR\n")
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["start", "--lab", "nope", "--workspace", "/home/learner/other"], environment: test.environment) == 1)
    #expect(test.output.withLock { $0 }.hasPrefix("grpclab: unknown lab 'nope'"))
    #expect(test.store.files.withLock { $0.keys.contains { $0.hasPrefix("/home/learner/other") } } == false)
  }

  @Test func aSweepOfTheCircuitBreakingLabCountsWhatTheSidecarCounted() {
    let test = TestEnvironment(input: ["solve", "next", "solve", "next", "solve", "exit"])
    #expect(GrpcLab.main(["start", "--lab", "circuit-breaking", "--seed", "3"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["check", "--seeds", "4"], environment: test.environment) == 0)
    let report = test.output.withLock { $0 }
    #expect(report.contains("✔ 4/4  the fortio pod's sidecar counted upstream_rq_pending_overflow\n    observed: "))
    #expect(report.split(separator: "\n").contains { $0.hasPrefix("    observed: ") && $0.contains(" requests in ") })
  }

  @Test func checkOverSeedsReplaysTheJournalWithoutTakingTheWorkspace() throws {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["solve"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["check", "--seeds", "12"], environment: test.environment) == 0)
    let report = test.output.withLock { $0 }
    #expect(report.hasPrefix("Step 1 (plain-kubernetes) over 12 seeds of your journal:\n✔ 12/12  "))
    #expect(report.contains("\n✔ 12/12  exactly one pod served all calls\n    observed: 1 pod in 100 %\n    served by: grpc-v"))
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["sweep", "12"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 } == report)
    #expect(GrpcLab.main(["next", "--force"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["check", "--seeds", "2"], environment: test.environment) == 1)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["sweep", "0"], environment: test.environment) == 2)
    #expect(test.output.withLock { $0 } == "grpclab: <seeds> must be from 1 to 10000\n")
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["check", "--seeds", "0"], environment: test.environment) == 2)
    #expect(test.output.withLock { $0 } == "grpclab: --seeds must be from 1 to 10000\n")
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["check", "--seeds", "3", "--json"], environment: test.environment) == 2)
    #expect(test.output.withLock { $0 } == "grpclab: --seeds reports in text; leave out --json\n")
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["check", "--seeds", "3", "--workspace", "/nowhere"], environment: test.environment) == 2)
    #expect(test.output.withLock { $0 } == "grpclab: no lab session in '/nowhere'\n")
  }

  @Test func undoAfterGotoReturnsToTheStepAndClusterFromBeforeIt() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["run", "--", "oc", "new-project", "mine"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["goto", "3"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["run", "--", "oc", "get", "ns", "mine"], environment: test.environment) == 1)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["undo"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 } == "Undid the jump to step 3: back on step 1 with the cluster from before it.\n")
    #expect(GrpcLab.main(["run", "--", "oc", "get", "ns", "mine"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["run", "--", "oc", "get", "ns", "grpc"], environment: test.environment) == 1)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["undo"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 } == "Undid: oc new-project mine\n")
  }

  @Test func nextMovesOnAfterAYesOnATerminal() {
    let test = TestEnvironment(input: ["next", "y", "exit"])
    var environment = test.environment
    environment.interactive = true
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.contains("Move on anyway? [y/N] y\n[2/5] Add the service mesh"))
    let refused = TestEnvironment(input: ["next", "", "exit"])
    environment = refused.environment
    environment.interactive = true
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: environment) == 1, "exit ends with the refused next's status")
    #expect(refused.output.withLock { $0 }.contains("Move on anyway? [y/N] \nType 'next --force' to move on anyway.\ngrpc-lb [1/5] ❯ exit"))
  }

  @Test func checkJSONIsADocumentEvenWhenTheSaveIsDamaged() {
    let test = TestEnvironment(input: [], files: ["/home/learner/grpclab/.grpclab/session.json": "{ not json"])
    #expect(GrpcLab.main(["check", "--json"], environment: test.environment) == 1)
    #expect(test.output.withLock { $0 }.hasPrefix("{\n  \"error\" : \"the saved session in '/home/learner/grpclab' is damaged"))
  }

  @Test(arguments: [
    (["run", "--", "oc", "-n", "x"], ["run"], ["--", "oc", "-n", "x"]), (["run", "--workspace", "w", "oc", "get"], ["run", "--workspace", "w"], ["oc", "get"]),
    (["run", "--workspace=w", "--", "--"], ["run", "--workspace=w"], ["--", "--"]), (["run", "--workspace"], ["run", "--workspace"], nil),
    (["check", "--", "x"], ["check", "--", "x"], nil),
  ])
  func runsCommandNeverGoesThroughArgumentParser(arguments: [String], options: [String], command: [String]?) {
    let split = GrpcLab.Run.split(arguments)
    #expect(split.options == options && split.command == command)
  }

  @Test func runPassesACommandOfThousandsOfWordsWhole() {
    let test = TestEnvironment(input: [])
    let names = (0..<5_000).map { "p\($0)" }
    #expect(GrpcLab.main(["run", "--", "oc", "get", "pods"] + names, environment: test.environment) == 1)
    let output = test.output.withLock { $0 }
    #expect(output.split(separator: "\n").count == 5_000)
    #expect(output.hasSuffix("Error from server (NotFound): pods \"p4999\" not found\n"))
  }

  @Test func runReadsAFileFromStandardInput() {
    let test = TestEnvironment(input: [])
    var environment = test.environment
    environment.standardInput = { "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: piped\n  namespace: default\ndata: {a: b}\n" }
    #expect(GrpcLab.main(["run", "--", "oc", "apply", "-f", "-"], environment: environment) == 0)
    #expect(test.output.withLock { $0 } == "configmap/piped created\n")
    #expect(GrpcLab.main(["run", "--", "oc", "get", "cm", "piped", "-n", "default"], environment: test.environment) == 0)
  }

  @Test func helpWorksInsideTheShellAndThePromptIsColouredOnlyWhenAllowed() {
    let test = TestEnvironment(input: ["help goto", "exit"])
    var environment = test.environment
    environment.colour = true
    #expect(GrpcLab.main(["start"], environment: environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.contains("USAGE: grpclab goto [--workspace <workspace>] <step>"))
    #expect(output.contains("\u{1}\u{1B}[36m\u{1}grpc-lb\u{1}\u{1B}[0m\u{1}"))
  }

  /// `check --step` checks another step on the same cluster, by number or id, and leaves the progress as
  /// it is; `--seeds` sweeps it too.
  @Test func checkStepChecksAnotherStepWithoutMovingOrCompletingIt() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["solve"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["next"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["check", "--step", "1"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.hasPrefix("✔ 3 grpc pods are Running\n"))
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["check", "--step", "plain-kubernetes", "--json"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.contains(#""step" : "plain-kubernetes""#))
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["check", "--step", "9"], environment: test.environment) == 2)
    #expect(test.output.withLock { $0 } == "grpclab: no step '9' in grpc-lb (1–5 or plain-kubernetes, add-mesh, strict-pool, relaxed-pool, ingress-mtls)\n")
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["check", "--step", "3", "--seeds", "2"], environment: test.environment) == 1)
    #expect(test.output.withLock { $0 }.hasPrefix("Step 3 (strict-pool) over 2 seeds of your journal:\n"))
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["status"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 }.contains("step:       2/5 add-mesh\ncompleted:  plain-kubernetes\n"))
  }

  @Test func checkMarksAreColouredOnlyWhereColourIsAllowed() {
    let test = TestEnvironment(input: [])
    var environment = test.environment
    environment.colour = true
    #expect(GrpcLab.main(["check"], environment: environment) == 1)
    #expect(test.output.withLock { $0 }.hasPrefix("\u{1B}[31m✘\u{1B}[0m 3 grpc pods are Running"))
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["check"], environment: test.environment) == 1)
    #expect(test.output.withLock { $0 }.hasPrefix("✘ 3 grpc pods are Running"))
  }

  @Test func whyOffTheStepsPathNamesTheFirstDifferenceInsteadOfTheTextbook() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["solve"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["next"], environment: test.environment) == 0)
    for line in ["oc apply -f /home/learner/grpclab/smmr.yaml", "oc -n grpc delete pod -l app=grpc"] {
      #expect(GrpcLab.main(["run", "--"] + line.split(separator: " ").map(String.init), environment: test.environment) == 0)
    }
    #expect(GrpcLab.main(["run", "--", "oc", "-n", "test", "exec", "deploy/grpc-client", "--", "curl", "-s", "http://localhost:8080/hello/grpc"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["why"], environment: test.environment) == 0)
    let why = test.output.withLock { $0 }
    #expect(why.hasPrefix("Your last call to /hello/grpc"))
    #expect(why.contains("kube-proxy picked grpc-v"))
    #expect(why.contains("\nYour cluster is not where this step leads yet. Pod grpc-client-"))
    #expect(why.contains("has no sidecar (1/1)"))
    #expect(!why.contains("iptables now redirects"))
  }

  @Test func whyBeforeAnyClientCallSaysSoOnce() {
    let test = TestEnvironment(input: [])
    for line in [
      "oc new-project grpc", "oc new-project test", "oc apply -f /home/learner/grpclab/grpc-configmap.yaml",
      "oc apply -f /home/learner/grpclab/grpc-v1.yaml -f /home/learner/grpclab/grpc-v2.yaml -f /home/learner/grpclab/grpc-v3.yaml",
      "oc apply -f /home/learner/grpclab/grpc-service.yaml",
      "oc apply -f /home/learner/grpclab/client-configmap.yaml -f /home/learner/grpclab/grpc-client.yaml",
    ] {
      #expect(GrpcLab.main(["run", "--"] + line.split(separator: " ").map(String.init), environment: test.environment) == 0)
    }
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["why"], environment: test.environment) == 0)
    let why = test.output.withLock { $0 }
    #expect(why.hasPrefix("Your cluster is not where this step leads yet. No client call yet: run"), "\(why)")
    #expect(why.components(separatedBy: "No client call yet").count == 2)
  }

  /// In a lab whose steps do not use the grpc-lb client, `why` tells the step's outcome without an account
  /// of that client, or a command to run it.
  @Test func whyInAnotherLabSaysNothingOfTheGrpcLbClient() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["start", "--lab", "circuit-breaking"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["solve"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["why"], environment: test.environment) == 0)
    let why = test.output.withLock { $0 }
    #expect(why.hasPrefix("`httpbin.yaml` holds a ServiceAccount, a Service and a Deployment."), "\(why)")
    #expect(!why.contains("grpc-client") && !why.contains("/hello/grpc"), "\(why)")
  }

  @Test func theLocaleChoosesTheLanguageOfANewWorkspace() {
    #expect(Language.preferred(by: ["LANG": "zh_CN.UTF-8"]) == .zh)
    #expect(Language.preferred(by: ["LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"]) == .en)
    #expect(Language.preferred(by: [:]) == .en)
  }

  @Test func benchRunsBothModesAndRefusesBadSizes() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["bench", "--calls", "40", "--pods", "4"], environment: test.environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.contains("plain     40 calls, 4 server pods: 0.000 s, 0.000 M calls/s; 1 pods served the last 40 calls\n"))
    #expect(output.contains("sidecars  40 calls, 4 server pods: 0.000 s, 0.000 M calls/s; 4 pods served the last 40 calls\n"))
    #expect(GrpcLab.main(["bench", "--calls", "0"], environment: test.environment) == 2)
  }

  @Test func benchTimesASweepOfTheFiveStepSolution() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["bench", "--seeds", "2"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 } == "seeds  2 replays of the five steps' solutions (31 commands): 0.000 s, 0.00 ms per seed; step 5's checks passed under 2\n")
    #expect(GrpcLab.main(["bench", "--seeds", "0"], environment: test.environment) == 2)
  }
}
