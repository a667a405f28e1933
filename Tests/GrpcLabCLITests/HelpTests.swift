import ClusterTools
import Testing

@testable import GrpcLabCLI

/// Help through the real entry point, `GrpcLab.main`, as a terminal or a pipe gets it.
@Suite struct HelpTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var arguments: [String]
    var expected: [String]
    var testDescription: String { "grpclab " + arguments.joined(separator: " ") }
  }

  static let verbs = GrpcLab.configuration.subcommands.map { ($0._commandName, $0.configuration.abstract) }

  @Test(arguments: [["--help"], ["-h"], ["help"]])
  func theRootHelpListsEveryVerbWithItsAbstract(arguments: [String]) {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(arguments, environment: test.environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.hasPrefix("OVERVIEW: A lab runner for gRPC load balancing"))
    for (name, abstract) in Self.verbs {
      #expect(output.contains("  \(name)"), "\(name) is listed")
      #expect(output.contains(String(abstract.prefix(30))), "\(name)'s abstract is shown")
    }
    #expect(test.store.files.withLock { $0 }.isEmpty, "help touches no workspace")
  }

  @Test(arguments: [
    Case(arguments: ["help", "goto"], expected: ["USAGE: grpclab goto [--workspace <workspace>] <step>", "<step>"]),
    Case(arguments: ["goto", "--help"], expected: ["USAGE: grpclab goto [--workspace <workspace>] <step>"]),
    Case(arguments: ["check", "-h"], expected: ["USAGE: grpclab check [--workspace <workspace>] [--json]"]),
    Case(arguments: ["dev", "check", "--help"], expected: ["USAGE: grpclab dev check [<lab>] [--seeds <seeds>]"]),
    Case(arguments: ["help", "dev", "check"], expected: ["USAGE: grpclab dev check [<lab>] [--seeds <seeds>]"]),
    Case(arguments: ["explain", "--help"], expected: ["USAGE: grpclab why [--workspace <workspace>]"]),
  ])
  func aVerbsHelpPrintsItsUsage(_ test: Case) {
    let environment = TestEnvironment(input: [])
    #expect(GrpcLab.main(test.arguments, environment: environment.environment) == 0)
    let output = environment.output.withLock { $0 }
    for line in test.expected { #expect(output.contains(line)) }
  }

  /// `help` for a word that names no verb is refused as the word alone is, with the closest verb.
  @Test func helpForNoVerbIsAUsageError() {
    let environment = TestEnvironment(input: [])
    #expect(GrpcLab.main(["help", "chek"], environment: environment.environment) == 2)
    #expect(environment.output.withLock { $0 } == "grpclab: 'chek' is not a grpclab command. Did you mean 'check'? See 'grpclab --help'.\n")
  }

  /// A verb the shell does not run is said to be so whatever its arguments.
  @Test func aVerbOutsideTheShellIsSaidToBeSoBeforeItsArgumentsAreRead() {
    let test = TestEnvironment(input: ["demo relaxed-pool --auto 0", "echo $?", "lint --nonsense", "true", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: test.environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.contains("❯ demo relaxed-pool --auto 0\ngrpclab: 'demo' is not available inside the lab shell\n"))
    #expect(output.contains("❯ echo $?\n2\n"))
    #expect(output.contains("❯ lint --nonsense\ngrpclab: 'lint' is not available inside the lab shell\n"))
    let typo = TestEnvironment(input: ["reset --sed 5", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: typo.environment) == 2)
    #expect(typo.output.withLock { $0 }.contains("❯ reset --sed 5\nError: Unknown option '--sed'"), "reset runs in the shell: its typo gets a usage error")
  }

  @Test func helpForAVerbIsTheSameInsideAndOutsideTheShell() {
    for verb in Self.verbs.map(\.0) where verb != "start" {
      let outside = TestEnvironment(input: [])
      #expect(GrpcLab.main([verb, "--help"], environment: outside.environment) == 0)
      let helpVerb = TestEnvironment(input: [])
      #expect(GrpcLab.main(["help", verb], environment: helpVerb.environment) == 0)
      let inside = TestEnvironment(input: ["help \(verb)", "\(verb) --help", "exit"])
      #expect(GrpcLab.main(["start", "--seed", "7"], environment: inside.environment) == 0)
      let text = outside.output.withLock { $0 }
      #expect(helpVerb.output.withLock { $0 } == text)
      #expect(inside.output.withLock { $0 }.components(separatedBy: text).count == 3, "\(verb): both ways print the same help")
    }
  }

  @Test func versionPrintsTheVersion() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["--version"], environment: test.environment) == 0)
    #expect(test.output.withLock { $0 } == GrpcLab.version + "\n")
  }

  @Test(arguments: [
    Case(arguments: ["stauts"], expected: ["grpclab: 'stauts' is not a grpclab command. Did you mean 'status'? See 'grpclab --help'.\n"]),
    Case(arguments: ["frobnicate", "x"], expected: ["grpclab: 'frobnicate' is not a grpclab command. See 'grpclab --help'.\n"]),
    Case(arguments: ["oc", "get", "pods"], expected: ["grpclab: 'oc' is not a grpclab command; run it with 'grpclab run -- oc get pods'\n"]),
  ])
  func anUnknownVerbIsAUsageErrorThatSaysWhatToDo(_ test: Case) {
    let environment = TestEnvironment(input: [])
    #expect(GrpcLab.main(test.arguments, environment: environment.environment) == 2)
    #expect(environment.output.withLock { $0 } == test.expected[0])
    #expect(environment.store.files.withLock { $0 }.isEmpty)
  }

  @Test func theShellsHelpListsProgramsAndVerbsInEitherLanguage() {
    let english = TestEnvironment(input: ["help", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: english.environment) == 0)
    #expect(english.output.withLock { $0 }.contains("  goto      Start a step from the state it expects"))
    let chinese = TestEnvironment(input: ["help", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7", "--lang", "zh"], environment: chinese.environment) == 0)
    let output = chinese.output.withLock { $0 }
    #expect(output.contains("  goto      从某一步预期的状态开始"))
    #expect(output.contains("实验命令（不需要 grpclab 前缀）："))
    #expect(!output.contains("Start a step"))
  }

  @Test func anEditDistanceOfOneOrTwoSuggests() {
    #expect(Suggestion.closest(to: "kubeclt", among: ["oc", "kubectl", "grpcurl"]) == "kubectl")
    #expect(Suggestion.closest(to: "gpcurl", among: ["oc", "kubectl", "grpcurl"]) == "grpcurl")
    #expect(Suggestion.closest(to: "xyz", among: ["oc", "kubectl"]) == nil)
    #expect("ab".editDistance(to: "ba", countingSwaps: true) == 1 && "ab".editDistance(to: "ba", countingSwaps: false) == 2)
  }

  /// The shell's help lists the verbs it runs, and each of them runs there.
  @Test func theShellsHelpListsOnlyTheVerbsItRuns() {
    let help = TestEnvironment(input: ["help", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: help.environment) == 0)
    let output = help.output.withLock { $0 }
    guard let start = output.range(of: "Lab commands (no grpclab prefix needed):\n") else {
      Issue.record("no verbs in \(output)")
      return
    }
    let listed = output[start.upperBound...].split(separator: "\n").prefix { $0.hasPrefix("  ") }.compactMap {
      $0.split(separator: " ").first.map(String.init)
    }
    #expect(Set(listed) == Set(Self.verbs.map(\.0)).subtracting(["start", "demo", "lint", "bench", "dev"]))
    let each = TestEnvironment(input: listed + ["exit"])
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: each.environment) == 0)
    #expect(!each.output.withLock { $0 }.contains("is not available inside the lab shell"))
  }

  @Test func anOptionNameTwoVerbsShareIsDescribedForEach() {
    let test = TestEnvironment(input: ["help check", "help dev check", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7", "--lang", "zh"], environment: test.environment) == 0)
    let lines = test.output.withLock { $0 }.split(separator: "\n").filter { $0.hasPrefix("  --seeds ") }
    #expect(lines.count == 2)
    #expect(lines.first?.hasSuffix("在这么多个种子下重放你的日志（先用你自己的种子），报告每项检查通过的次数。") == true)
    #expect(lines.last?.hasSuffix("尝试多少个全新工作区（种子 1…N）。（默认：3）") == true)
  }

  /// A verb's Chinese help says what its English help says: its discussion, each option's own meaning for
  /// that verb, and the defaults ArgumentParser shows.
  @Test func aChineseHelpKeepsTheDiscussionTheMeaningsAndTheDefaults() {
    let test = TestEnvironment(input: ["help demo", "help reset", "help lint", "help bench", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7", "--lang", "zh"], environment: test.environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.contains("\n\n每条命令先逐字输入，讲师按 Enter 后运行（按 q 退出）。"))
    #expect(output.contains("  --workspace <workspace> 在哪个工作区中播放（默认：新建一个）。\n"))
    #expect(output.contains("否则为 7）。\n"))
    #expect(output.contains("--auto 时每次停顿的秒数（也可写作 --auto SECONDS）。（默认：1.0）\n"))
    #expect(output.contains("  --seed <seed>           重新开始时使用这个种子，而不是会话原来的种子。\n"))
    #expect(output.contains("（默认：grpc-lb）。\n"))
    #expect(output.contains("每种模式的调用次数。（默认：1000000）\n"))
  }

  @Test func everyVerbsHelpReadsInChineseInAChineseShell() {
    let verbs = Self.verbs.map(\.0).filter { $0 != "start" } + ["dev check"]
    let test = TestEnvironment(input: verbs.map { "help \($0)" } + ["exit"])
    #expect(GrpcLab.main(["start", "--seed", "7", "--lang", "zh"], environment: test.environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.components(separatedBy: "概述：").count == verbs.count + 1)
    for line in output.split(separator: "\n") where line.hasPrefix("  -") || line.hasPrefix("  <") || line.hasPrefix("概述") {
      #expect(line.contains { TextLayout.isWide($0) }, "'\(line)' is described in Chinese")
    }
  }
}
