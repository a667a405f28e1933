import Foundation
import LabKit
import Synchronization
import Testing

@testable import GrpcLabCLI

/// Scripted demos: playback, expectations, recordings, lint, and a workspace's journal as a demo.
@Suite struct DemoTests {
  static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

  static func output(_ test: TestEnvironment) -> String { test.output.withLock { $0 } }

  @Test(arguments: try LabCatalog.ids.flatMap { id in try LabCatalog.demos(of: LabCatalog.lab(id)).map { "\(id)/\($0.name)" } })
  func everyShippedDemoRunsUnattendedAndItsExpectationsHold(_ demo: String) {
    let (lab, name) = (String(demo.prefix { $0 != "/" }), String(demo.drop { $0 != "/" }.dropFirst()))
    let test = TestEnvironment(input: [])
    let status = GrpcLab.main(
      ["demo", name, "--lab", lab, "--auto", "0", "--no-typing", "--workspace", "/w/\(demo)"], environment: test.environment)
    #expect(status == 0, "\(Self.output(test))")
  }

  @Test func aFailedExpectationStopsTheDemoAndSaysWhere() {
    let script = "oc new-project grpc\n# expect: Now using project \"nope\"\noc new-project test\n"
    let test = TestEnvironment(input: [], files: ["/home/learner/x.demo": script])
    #expect(GrpcLab.main(["demo", "x.demo", "--auto", "--no-typing", "--workspace", "/w"], environment: test.environment) == 1)
    #expect(Self.output(test).hasSuffix(
      "grpclab: demo line 1: expected 'Now using project \"nope\"' in the output of 'oc new-project grpc'\n"))
    #expect(!Self.output(test).contains("oc new-project test"))
  }

  /// Timing and width options out of range are refused in one line before anything plays.
  @Test(arguments: [
    (["--list", "--speed", "0"], "grpclab: demo: --speed needs characters per second, a whole number from 1, not 0\n"),
    (["relaxed-pool", "--auto", "--pauses=inf"], "grpclab: demo: --pauses needs seconds from 0 to 3600, not inf\n"),
    (["relaxed-pool", "--auto", "--pauses=nan"], "grpclab: demo: --pauses needs seconds from 0 to 3600, not nan\n"),
    (["relaxed-pool", "--auto", "0", "--width", "5"], "grpclab: demo: --width needs at least 20 columns, not 5\n"),
  ])
  func aTimingOutOfRangeIsAUsageError(arguments: [String], error: String) {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["demo"] + arguments + ["--workspace", "/w"], environment: test.environment) == 2)
    #expect(Self.output(test) == error)
    #expect(test.store.contents(of: "/w/.grpclab/session.json") == .missing)
  }

  @Test func aMalformedDemoGivesFileLineErrors() {
    let script = "# step 9\n# speed fast\n# expect: x\noc get pods\n# say.zh: 你好\n# seed -1\n# hidden\necho 'open\n# say: swallowed\n"
    let test = TestEnvironment(input: [], files: ["/home/learner/bad.demo": script])
    #expect(GrpcLab.main(["demo", "bad.demo", "--auto"], environment: test.environment) == 1)
    #expect(Self.output(test) == """
      bad.demo:1:8: 'step' needs a step number from 1 to 5, not '9'
      bad.demo:2:9: 'speed' needs characters per second (a positive whole number), not 'fast'
      bad.demo:3:3: 'expect:' must follow a command
      bad.demo:5:3: 'say.zh:' must follow a 'say:' line
      bad.demo:6:8: 'seed' needs a whole number from 0, not '-1'
      bad.demo:8:1: the command does not end: a quote, a '|' or a '\\' goes on to the end of the file

      """)
  }

  @Test func lintChecksALabsDemos() {
    let folder = Self.golden.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Labs/grpc-lb")
    let lab = LabCatalog.files(of: try! LabCatalog.lab("grpc-lb")).map { ("/lab/\($0.name)", $0.contents) }
    var files = Dictionary(uniqueKeysWithValues: lab)
    files["/lab/lab.yaml"] = try? String(contentsOf: folder.appendingPathComponent("lab.yaml"), encoding: .utf8)
    files["/lab/demos/bad.demo"] = "oc get pods\nfrob now\n# step 0\n"
    let test = TestEnvironment(input: [], files: files)
    #expect(GrpcLab.main(["lint", "/lab"], environment: test.environment) == 1)
    #expect(Self.output(test) == """
      /lab/demos/bad.demo:2:1: 'frob' is neither a program of the lab shell nor a verb
      /lab/demos/bad.demo:3:8: 'step' needs a step number from 1 to 5, not '0'

      """, "a directive's problem hides none of the commands'")
    let one = TestEnvironment(input: [], files: files)
    #expect(GrpcLab.main(["lint", "/lab/demos/bad.demo"], environment: one.environment) == 1)
    #expect(Self.output(one) == """
      /lab/demos/bad.demo:2:1: 'frob' is neither a program of the lab shell nor a verb
      /lab/demos/bad.demo:3:8: 'step' needs a step number from 1 to 5, not '0'

      """, "a demo file alone, with its lab's steps")
    files["/home/learner/mine.demo"] = "# step 7\noc get pods\n# step 4\n"
    let loose = TestEnvironment(input: [], files: files)
    #expect(GrpcLab.main(["lint", "mine.demo"], environment: loose.environment) == 1)
    #expect(Self.output(loose) == "mine.demo:1:8: 'step' needs a step number from 1 to 5, not '7'\n", "a file alone, with the default lab's steps")
    let other = TestEnvironment(input: [], files: files)
    #expect(GrpcLab.main(["lint", "mine.demo", "--lab", "circuit-breaking"], environment: other.environment) == 1)
    #expect(Self.output(other) == "mine.demo:1:8: 'step' needs a step number from 1 to 4, not '7'\n", "or those of the lab it names")
    files["/lab/demos/bad.demo"] = "oc get pods\nfrob now\n"
    let again = TestEnvironment(input: [], files: files)
    #expect(GrpcLab.main(["lint", "/lab"], environment: again.environment) == 1)
    #expect(Self.output(again) == "/lab/demos/bad.demo:2:1: 'frob' is neither a program of the lab shell nor a verb\n")
  }

  /// `dev check` takes a lab folder on disk, whose solutions read their files from it, as `lint` does.
  @Test func devCheckTakesALabFolderOnDisk() throws {
    let lab = try LabCatalog.lab("circuit-breaking")
    var files = Dictionary(uniqueKeysWithValues: LabCatalog.files(of: lab).map { ("/authoring/cb/\($0.name)", $0.contents) })
    let folder = Self.golden.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    files["/authoring/cb/lab.yaml"] = try String(contentsOf: folder.appendingPathComponent("Labs/circuit-breaking/lab.yaml"), encoding: .utf8)
    let sound = TestEnvironment(input: [], files: files)
    #expect(GrpcLab.main(["dev", "check", "/authoring/cb", "--seeds", "1"], environment: sound.environment) == 0)
    #expect(Self.output(sound) == "✔ circuit-breaking: 4 steps, 1 seeds\n")
    files["/authoring/cb/httpbin.yaml"] = nil
    let broken = TestEnvironment(input: [], files: files)
    #expect(GrpcLab.main(["dev", "check", "/authoring/cb/lab.yaml", "--seeds", "1"], environment: broken.environment) == 1)
    #expect(Self.output(broken).hasPrefix(
      "✘ circuit-breaking step 1 (deploy-httpbin), seed 1: solution command 'kubectl apply -f httpbin.yaml' exited 1, not 0:\n    error: the path \"httpbin.yaml\" does not exist\n"))
    files["/authoring/cb/lab.yaml"] = "id: none\ntitle: {en: None, zh: 无}\nfiles: []\nsteps: []\n"
    let stepless = TestEnvironment(input: [], files: files)
    #expect(GrpcLab.main(["dev", "check", "/authoring/cb"], environment: stepless.environment) == 1)
    #expect(Self.output(stepless) == "grpclab: /authoring/cb/lab.yaml: a lab needs at least one step\n")
    files["/authoring/cb/lab.yaml"] = "id: circuit-breaking\ntitle:\n  en: [broken\n"
    let unparsable = TestEnvironment(input: [], files: files)
    #expect(GrpcLab.main(["dev", "check", "/authoring/cb"], environment: unparsable.environment) == 1)
    #expect(Self.output(unparsable) == "grpclab: /authoring/cb/lab.yaml:4:1: while parsing a flow sequence: did not find expected ',' or ']'\n")
    let missing = TestEnvironment(input: [], files: [:])
    #expect(GrpcLab.main(["dev", "check", "nope"], environment: missing.environment) == 2)
    #expect(Self.output(missing) == """
      grpclab: no lab 'nope': the built-in labs are \(LabCatalog.ids.joined(separator: ", ")), and as a path: no such file or folder 'nope'

      """)
  }

  @Test func theSameSeedGivesTheSameRecording() throws {
    func record() -> String {
      let test = TestEnvironment(input: [])
      #expect(GrpcLab.main(
        ["demo", "plain-kubernetes", "--auto", "--no-banner", "--cast", "/w/x.cast", "--workspace", "/w", "--width", "80"],
        environment: test.environment) == 0)
      guard case .file(let cast) = test.store.contents(of: "/w/x.cast") else { return "" }
      return cast
    }
    let cast = record()
    #expect(cast == record())
    let file = Self.golden.appendingPathComponent("plain-kubernetes.cast")
    if ProcessInfo.processInfo.environment["GRPCLAB_RECORD"] != nil {
      try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
      try cast.write(to: file, atomically: true, encoding: .utf8)
    }
    #expect(cast == (try String(contentsOf: file, encoding: .utf8)), "re-record with GRPCLAB_RECORD=1 swift test")
  }

  @Test func theWholeArticleRecordsAMarkerForEachStepInAsciicastV2() throws {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(
      ["demo", "grpc-lb", "--auto", "0", "--no-typing", "--cast", "/w/all.cast", "--workspace", "/w"], environment: test.environment) == 0)
    guard case .file(let cast) = test.store.contents(of: "/w/all.cast") else {
      Issue.record("no recording")
      return
    }
    let lines = cast.split(separator: "\n").map(String.init)
    let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    #expect(header["version"] as? Int == 2)
    #expect(header["width"] as? Int == 100)
    var markers: [String] = []
    var last = 0.0
    for line in lines.dropFirst() {
      let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])
      let time = try #require(event[0] as? Double)
      #expect(time >= last)
      last = time
      let code = try #require(event[1] as? String)
      #expect(["o", "m"].contains(code))
      if code == "m", let label = event[2] as? String { markers.append(label) }
    }
    #expect(markers == [
      "Step 1: gRPC without a mesh", "Step 2: Add the service mesh", "Step 3: A strict connection pool",
      "Step 4: A relaxed connection pool", "Step 5: Through the ingress gateway with mutual TLS",
    ])
    #expect(cast.contains("[\"o\", \"grpc-lb [5/5] ❯ \"]") || cast.contains("\"grpc-lb [5/5] ❯ \"]"))
    #expect(cast.contains("\"grpcurl -v -insecure -cert certs/client.example.com.crt"))
  }

  /// asciinema on the PATH, when it is installed (CI installs it from PyPI).
  static let asciinema = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    .map { "\($0)/asciinema" }.first { FileManager.default.isExecutableFile(atPath: $0) }

  @Test(.enabled(if: asciinema != nil, "asciinema is installed"))
  func asciinemaPlaysTheRecording() throws {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(
      ["demo", "plain-kubernetes", "--auto", "0", "--no-typing", "--cast", "/w/x.cast", "--workspace", "/w"],
      environment: test.environment) == 0)
    guard case .file(let cast) = test.store.contents(of: "/w/x.cast"), let asciinema = Self.asciinema else { return }
    let file = NSTemporaryDirectory() + "grpclab-\(UUID().uuidString).cast"
    try cast.write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: asciinema)
    process.arguments = ["cat", file]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = Pipe()
    try process.run()
    let played = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(played.contains("grpc-lb [1/5] ❯ oc new-project grpc\r\nNow using project \"grpc\""))
    #expect(played.contains("✔ exactly one pod served all calls"))
  }

  @Test func narrationFollowsTheLanguage() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(
      ["demo", "plain-kubernetes", "--auto", "0", "--no-typing", "--lang", "zh", "--workspace", "/w"], environment: test.environment) == 0)
    #expect(Self.output(test).contains("  » 两个项目：grpc 放三个 greeter 服务端，test 放调用它们的客户端。"))
  }

  @Test func presenterKeysRunOrQuit() {
    let test = TestEnvironment(input: [])
    let keys = KeyPresses(["\n", "q"])
    var environment = test.environment
    environment.readKey = { keys.next() }
    #expect(GrpcLab.main(["demo", "plain-kubernetes", "--no-typing", "--workspace", "/w"], environment: environment) == 130)
    let output = Self.output(test)
    #expect(output.contains("Now using project \"grpc\""))
    #expect(output.contains("grpc-lb [1/5] ❯ oc new-project test\n"))
    #expect(!output.contains("Now using project \"test\""))
  }

  @Test func aWorkspacesJournalBecomesADemo() {
    let test = TestEnvironment(input: [])
    #expect(GrpcLab.main(["run", "--workspace", "/w", "--", "oc", "new-project", "grpc"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["run", "--workspace", "/w", "--", "oc", "get", "pods"], environment: test.environment) == 0)
    #expect(GrpcLab.main(["run", "--workspace", "/w", "--", "oc", "get", "deploy", "nope"], environment: test.environment) == 1)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["demo", "--from-workspace", "/w"], environment: test.environment) == 0)
    #expect(Self.output(test) == """
      # A demo made from a workspace's journal (grpc-lb).
      # seed 7
      # step 1
      oc new-project grpc
      oc get pods

      """)
  }

  /// A workspace's journal becomes a demo with each command under the step it served: the demo moves on
  /// where the learner did, and played back it completes those steps.
  @Test func aDemoFromAWorkspaceMovesOnWhereTheLearnerDid() throws {
    let test = TestEnvironment(input: ["solve", "next", "solve", "exit"])
    #expect(GrpcLab.main(["start", "--workspace", "/w"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["demo", "--from-workspace", "/w"], environment: test.environment) == 0)
    let script = Self.output(test)
    let lines = script.split(separator: "\n").map(String.init)
    #expect(lines.filter { $0.hasPrefix("# step") } == ["# step 1", "# step 2"])
    let lab = try LabCatalog.lab("grpc-lb")
    let second = try #require(lines.firstIndex(of: "# step 2"))
    #expect(lines[second + 1] == lab.steps[1].solution.first)
    #expect(lines[..<second].contains(lab.steps[0].solution.last ?? ""))
    test.store.files.withLock { $0["/d.demo"] = script }
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["demo", "/d.demo", "--auto", "0", "--no-typing", "--workspace", "/v"], environment: test.environment) == 0)
    #expect(Self.output(test).contains("grpc-lb [2/5] ❯ \(lab.steps[1].solution.first ?? "")"))
  }

  /// A demo made from a workspace plays on that workspace's seed, so that its outcomes are the same;
  /// `--seed` overrides it, and a workspace of another seed is refused.
  @Test func aDemoFromAWorkspacePlaysOnItsSeed() {
    let test = TestEnvironment(input: ["oc new-project grpc", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "42", "--workspace", "/w"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["demo", "--from-workspace", "/w"], environment: test.environment) == 0)
    let script = Self.output(test)
    #expect(script.contains("\n# seed 42\n"))
    test.store.files.withLock { $0["/d.demo"] = script }
    #expect(GrpcLab.main(["demo", "/d.demo", "--auto", "0", "--no-typing", "--workspace", "/v"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["status", "--workspace", "/v"], environment: test.environment) == 0)
    #expect(Self.output(test).contains("seed:       42\n"))
    #expect(GrpcLab.main(["demo", "/d.demo", "--auto", "0", "--no-typing", "--workspace", "/u", "--seed", "3"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["status", "--workspace", "/u"], environment: test.environment) == 0)
    #expect(Self.output(test).contains("seed:       3\n"))
    #expect(GrpcLab.main(["demo", "/d.demo", "--auto", "0", "--no-typing", "--workspace", "/u"], environment: test.environment) == 1)
  }

  @Test func aDemoFromAWorkspaceNamesThatWorkspacesLab() {
    let test = TestEnvironment(input: ["oc new-project circuit-breaking", "exit"])
    #expect(GrpcLab.main(["start", "--lab", "circuit-breaking", "--workspace", "/w"], environment: test.environment) == 0)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["demo", "--from-workspace", "/w"], environment: test.environment) == 0)
    #expect(Self.output(test).hasPrefix("# A demo made from a workspace's journal (circuit-breaking).\n# seed 7\n"))
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["demo", "--from-workspace", "/w", "--lab", "grpc-lb"], environment: test.environment) == 2)
    #expect(Self.output(test) == "grpclab: demo: --from-workspace reads the workspace's own lab; drop --lab\n")
  }

  /// A recording that is a folder, or whose path passes through a file, is refused before anything plays.
  @Test func aRecordingWithNowhereToGoIsRefusedBeforeAnythingPlays() {
    let test = TestEnvironment(input: ["oc new-project grpc", "exit"], files: ["/home/learner/notes": "x"])
    let demo = ["demo", "relaxed-pool", "--auto", "0", "--no-typing", "--workspace", "/w", "--cast", "notes/x.cast"]
    #expect(GrpcLab.main(demo, environment: test.environment) == 1)
    #expect(Self.output(test) == "grpclab: cannot access '/home/learner/notes/x.cast': Not a directory\n")
    #expect(test.store.contents(of: "/w/.grpclab/session.json") == .missing)
    test.output.withLock { $0 = "" }
    #expect(GrpcLab.main(["start", "--workspace", "/v", "--cast", "/home/learner"], environment: test.environment) == 1)
    #expect(Self.output(test) == "grpclab: cannot access '/home/learner': Is a directory\n")
    #expect(test.store.contents(of: "/v/.grpclab/session.json") == .missing)
  }

  @Test func theShellRecordsALearnersSession() {
    let test = TestEnvironment(input: ["oc new-project grpc", "exit"])
    #expect(GrpcLab.main(["start", "--seed", "7", "--cast", "/w/me.cast"], environment: test.environment) == 0)
    guard case .file(let cast) = test.store.contents(of: "/w/me.cast") else {
      Issue.record("no recording")
      return
    }
    #expect(cast.hasPrefix("{\"env\":{\"SHELL\":\"/bin/bash\",\"TERM\":\"xterm-256color\"},\"height\":30,"))
    #expect(cast.contains("\"grpc-lb [1/5] ❯ oc new-project grpc\\r\\n\"]"))
    #expect(cast.contains("Now using project \\\"grpc\\\""))
  }
}

/// Keys a presenter presses, one per `next()`.
final class KeyPresses: Sendable {
  let keys: Mutex<[String]>

  init(_ keys: [String]) { self.keys = Mutex(keys) }

  func next() -> String? { keys.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
}
