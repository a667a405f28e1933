import ClusterModel
import ClusterTools
import Foundation
import LabKit
import Testing

@testable import GrpcLabCLI

/// Mutated lab commands and manifests through the lab shell's parser and dispatcher, in process.
///
/// After each input: nothing trapped, the exit status is one the tools document, nothing took more than
/// five seconds, and an input that was not journaled left the cluster as it was. After each session of
/// inputs: replaying its journal gives the same cluster.
///
/// CI runs a few thousand inputs; the environment scales it up:
///
///     GRPCLAB_FUZZ_LINES=1000000 GRPCLAB_FUZZ_MANIFESTS=100000 GRPCLAB_FUZZ_SEED=7 swift test -c release --filter Fuzz
@Suite struct FuzzTests {
  static let settings = ProcessInfo.processInfo.environment
  static let lineCount = settings["GRPCLAB_FUZZ_LINES"].flatMap { Int($0) } ?? 3_000
  static let manifestCount = settings["GRPCLAB_FUZZ_MANIFESTS"].flatMap { Int($0) } ?? 600
  static let seed = settings["GRPCLAB_FUZZ_SEED"].flatMap { UInt64($0) } ?? 2024
  /// Inputs run on one session before the next starts fresh.
  static let sessionLength = 50
  /// What kubectl, oc, curl (through `oc exec`), grpcurl (64 + the gRPC code), the filters and the shell exit with.
  static let documentedStatuses = Set<Int32>([0, 1, 2, 3, 6, 7, 22, 52, 127]).union(64...80)
  /// An input that takes longer than this has hung.
  static let hang = Duration.seconds(5)
  static let workspace = "/home/learner/grpclab"

  /// Words and fragments mutations splice in: flags, quotes, pipes, here-documents, odd bytes.
  static let fragments = [
    "-n", "--namespace=", "-o", "yaml", "json", "wide", "-l", "app=", "--", "|", "| grep", "| head -n", "| wc -l", "'", "\"",
    "<<EOF", "EOF", "\\", "$", "*", "..", "/", "=", ",", "-f", "-", "deploy/", "pod/", "--replicas=-1", "--tail", "-c",
    "istio-proxy", "9999999999999999999999", "-1", "0", "中文", "\u{0}", "\t", "kiali", "jaeger", "istioctl", "pc", "trace",
    "goto", "undo", "why", "lang", "solve", "next", "prev", "check", "--json", "hint", "cat", "ls", "-p", "../..", "/etc/passwd",
    "-w", "--watch", "--wait=false", "--force", "help", "clear", "| sort -k", "| uniq -c", "| cut -d", "-f2-", "| grep -E", "(",
    "[", "\\(", "-A", "-B9999999999", "-m", "+1", "reset", "--step", "--replicas=2147483648", "--replicas=3000", "scale",
    "deploy/grpc-v1", "delete", "apply", "create", "-f grpc-v1.yaml", "--dry-run=client",
    "-z", "-r", "--connections", "--skipTLS", "-t 0",
  ]

  /// Values mutations put in a manifest: numbers past int32, the wrong types, YAML's own syntax.
  static let values = [
    "9223372036854775807", "2147483648", "-1", "0", "1e400", "0x7fffffff", "'9000'", "true", "null", "~", "[]", "{}", "[a, b]",
    "{a: b}", "*a", "&a x", "!!binary aGk=", "!!str 3", "<<: *a", "\"\\u0000\"", "中文", String(repeating: "x", count: 300),
    "|", ">-", "'", "\"", "- a", ": :", "@", "`", "%TAG", "---", "...", "? a", "&a [*a, *a, *a, *a]", "grpc-v1", "Deployment",
    "apps/v2", "v1", "DestinationRule", "ISTIO_MUTUAL", "LEAST_REQUEST", "TCP", "-9000",
    "\"9999-01-01T00:00:00Z\"", "\"2262-04-11T23:47:16Z\"", "\"0001-01-01T00:00:00Z\"", "\"2023-13-45T99:99:99Z\"",
  ]

  /// A manifest with times, which no lab file has, for mutations to reach the API's time fields.
  static let event = """
    apiVersion: v1
    kind: Event
    metadata:
      name: fuzz
      namespace: grpc
    involvedObject:
      kind: Pod
      name: p
      namespace: grpc
      apiVersion: v1
    reason: Fuzzed
    message: m
    source:
      component: fuzz
    firstTimestamp: "2023-05-19T15:00:00Z"
    lastTimestamp: "2023-05-19T15:21:07Z"
    count: 1
    type: Normal
    reportingComponent: fuzz
    reportingInstance: ""
    """

  /// Counts what the run saw; a failed property is also recorded as an issue where it happens.
  struct Tally {
    var inputs = 0
    var badStatuses = 0
    var hangs = 0
    var changedByRejected = 0
    var replayMismatches = 0

    var summary: String {
      "\(inputs) inputs: \(hangs) hangs, \(badStatuses) undocumented statuses, \(changedByRejected) rejected inputs that changed the cluster, \(replayMismatches) replays that differ"
    }
  }

  /// One shell on a fresh session, with the lab's files in its workspace.
  static func shell(_ lab: Lab, seed: UInt64) -> (REPL, TestEnvironment) {
    let files = Dictionary(uniqueKeysWithValues: LabCatalog.files(of: lab).map { ("\(workspace)/\($0.name)", $0.contents) })
    let test = TestEnvironment(input: [], files: files)
    let session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: seed))
    let repl = REPL(
      context: CommandContext(environment: test.environment, workspace: Workspace(path: workspace, files: test.store), session: session),
      saved: Workspace.Saved(session: session, revision: 0))
    return (repl, test)
  }

  /// Runs `line` and checks the properties of one input.
  static func run(_ line: String, in repl: inout REPL, tally: inout Tally) {
    tally.inputs += 1
    let before = repl.context.session
    let words = (try? ShellCommand(parsing: line).stages.first) ?? []
    let start = ContinuousClock.now
    if let first = words.first, ToolSession.programs.contains(first) || line.contains("|") {
      let status = repl.context.execute(line, workingDirectory: workspace, waiting: true)
      if !documentedStatuses.contains(status) {
        tally.badStatuses += 1
        Issue.record("exit status \(status) for: \(line)")
      }
      if repl.context.session.state.journal.count == before.state.journal.count, repl.context.session.cluster != before.cluster {
        tally.changedByRejected += 1
        Issue.record("not journaled, yet the cluster changed: \(line)")
      }
    } else {
      try? repl.handle(line, words: words, list: try? ShellList(splitting: line))
    }
    if ContinuousClock.now - start > hang {
      tally.hangs += 1
      Issue.record("took more than \(hang): \(line)")
    }
  }

  /// Ends a session: its journal must replay into the same cluster.
  static func finish(_ repl: REPL, lab: Lab, tally: inout Tally) {
    let session = repl.context.session
    if LabSession(lab: lab, state: session.state).cluster != session.cluster {
      tally.replayMismatches += 1
      Issue.record("the journal does not replay into the same cluster: \(session.state.journal.map(\.line))")
    }
  }

  @Test func mutatedCommandLinesKeepEveryProperty() throws {
    // Sessions take the labs in turn, each mutating its own lab's lines.
    let labs = try LabCatalog.ids.map(LabCatalog.lab)
    let extraLines = [
      "grpc-lb": [
        "oc get pods -A", "oc describe pod -l app=grpc -n grpc", "istioctl pc route deploy/grpc-client.test",
        "jaeger traces --limit 3", "kiali graph -n grpc,test", "oc logs deploy/grpc-client -c istio-proxy --tail 5",
        "oc scale deploy/grpc-v1 -n grpc --replicas=3", "oc delete pod -l app=grpc -n grpc", "oc get events -n grpc",
        #"ghz --cacert certs/ca.crt --cert certs/client.example.com.crt --key certs/client.example.com.key --proto helloworld.proto --call helloworld.Greeter.SayHello -d '{"name":"x"}' -n 30 -c 5 grpc-istio-system.apps.cluster.example.com:443"#,
        "ghz --insecure --proto helloworld.proto --call helloworld.Greeter/SayHello -z 1s -r 10 -t 1s --connections 2 -c 4 grpc-istio-system.apps.cluster.example.com:443",
      ],
      "circuit-breaking": [
        #"kubectl exec "$FORTIO_POD" -c fortio -- fortio load -c 4 -qps 0 -n 50 http://httpbin:8000/status/503"#,
        #"kubectl exec "$FORTIO_POD" -c fortio -- fortio curl -quiet http://httpbin:8000/anything"#,
        #"kubectl exec "$FORTIO_POD" -c istio-proxy -- curl -s localhost:15000/stats?filter=outlier"#,
        "kubectl get sa", "kubectl describe sa httpbin", "kubectl scale deploy/httpbin --replicas=3",
        "kubectl logs deploy/fortio-deploy -c istio-proxy --tail 5", #"istioctl pc endpoint "$FORTIO_POD""#,
      ],
    ]
    let seedLines = labs.map { $0.steps.flatMap(\.solution) + (extraLines[$0.id] ?? []) }
    var rng = SplitMix64(seed: Self.seed)
    func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    var tally = Tally()
    var lab = labs[0]
    var (repl, _) = Self.shell(lab, seed: rng.next())
    for index in 0..<Self.lineCount {
      let session = index / Self.sessionLength
      if index > 0 && index % Self.sessionLength == 0 {
        Self.finish(repl, lab: lab, tally: &tally)
        lab = labs[session % labs.count]
        (repl, _) = Self.shell(lab, seed: rng.next())
      }
      var words = pick(seedLines[session % labs.count]).split(separator: " ").map(String.init)
      for _ in 0..<(1 + Int(rng.next() % 4)) {
        let position = Int(rng.next() % UInt64(words.count + 1))
        switch rng.next() % 5 {
        case 0: words.insert(pick(Self.fragments), at: position)
        case 1: if !words.isEmpty { words.remove(at: min(position, words.count - 1)) }
        case 2: if !words.isEmpty { words[min(position, words.count - 1)] += pick(Self.fragments) }
        case 3: words.shuffle(using: &rng)
        default: words.append(String(UnicodeScalar(UInt8(rng.next() % 128))))
        }
      }
      Self.run(words.joined(separator: " "), in: &repl, tally: &tally)
    }
    Self.finish(repl, lab: lab, tally: &tally)
    print("fuzz, command lines, seed \(Self.seed): \(tally.summary)")
  }

  @Test func mutatedManifestsKeepEveryProperty() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let manifests = LabCatalog.files(of: lab).filter { $0.name.hasSuffix(".yaml") && $0.name != "lab.yaml" }.map(\.contents) + [Self.event]
    var rng = SplitMix64(seed: Self.seed ^ 0x5eed)
    func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    var tally = Tally()
    var (repl, test) = Self.shell(lab, seed: rng.next())
    Self.run("oc new-project grpc", in: &repl, tally: &tally)
    for index in 0..<Self.manifestCount {
      if index > 0 && index % Self.sessionLength == 0 {
        Self.finish(repl, lab: lab, tally: &tally)
        (repl, test) = Self.shell(lab, seed: rng.next())
        Self.run("oc new-project grpc", in: &repl, tally: &tally)
      }
      var lines = pick(manifests).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      for _ in 0..<(1 + Int(rng.next() % 4)) {
        let at = Int(rng.next() % UInt64(lines.count))
        switch rng.next() % 8 {
        case 0: lines.remove(at: at)
        case 1: lines.insert(lines[at], at: at)
        case 2: lines.swapAt(at, Int(rng.next() % UInt64(lines.count)))
        case 3: lines[at] = (rng.next() % 2 == 0 ? "  " : "") + lines[at].drop { $0 == " " && rng.next() % 3 == 0 }
        case 4:
          if let colon = lines[at].firstIndex(of: ":") { lines[at] = lines[at][...colon] + " " + pick(Self.values) }
        case 5: lines.insert(pick(["---", "a: &a \(pick(Self.values))", "b: *a", "<<: *a", "- *a"]), at: at)
        case 6: lines[at] = String(lines[at].prefix(Int(rng.next() % UInt64(lines[at].count + 1))))
        default: lines.append(pick(["---", pick(manifests)]))
        }
        if lines.isEmpty { lines = [""] }
      }
      try test.store.write(lines.joined(separator: "\n"), to: "\(Self.workspace)/fuzz.yaml")
      Self.run(pick(["oc apply -f fuzz.yaml", "oc create -f fuzz.yaml", "oc delete -f fuzz.yaml", "oc get -f fuzz.yaml"]), in: &repl, tally: &tally)
    }
    Self.finish(repl, lab: lab, tally: &tally)
    print("fuzz, manifests, seed \(Self.seed): \(tally.summary)")
  }
}
