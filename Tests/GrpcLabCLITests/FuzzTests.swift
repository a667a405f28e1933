import ClusterModel
import ClusterTools
import LabKit
import Testing

@testable import GrpcLabCLI

@Suite struct FuzzTests {
  /// Words and fragments mutations splice in: flags, quotes, pipes, here-documents, odd bytes.
  static let fragments = [
    "-n", "--namespace=", "-o", "yaml", "json", "wide", "-l", "app=", "--", "|", "| grep", "| head -n", "| wc -l", "'", "\"",
    "<<EOF", "EOF", "\\", "$", "*", "..", "/", "=", ",", "-f", "-", "deploy/", "pod/", "--replicas=-1", "--tail", "-c",
    "istio-proxy", "9999999999999999999999", "-1", "0", "中文", "\u{0}", "\t", "kiali", "jaeger", "istioctl", "pc", "trace",
    "goto", "undo", "why", "lang", "solve", "next", "prev", "check", "--json", "hint", "cat", "ls", "-p", "../..", "/etc/passwd",
    "-w", "--watch", "--wait=false", "--force", "help", "clear", "| sort -k", "| uniq -c", "| cut -d", "-f2-", "| grep -E", "(",
    "[", "\\(", "-A", "-B9999999999", "-m", "+1", "reset", "--step",
  ]

  /// 2 000 lines: the lab's own commands with words inserted, dropped, glued, shuffled and garbled, each
  /// through the shell's parser and dispatcher; the test passes when none of them traps.
  @Test func randomAndMutatedLinesNeverCrashTheShell() throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let seedLines = lab.steps.flatMap(\.solution) + [
      "oc get pods -A", "oc describe pod -l app=grpc -n grpc", "istioctl pc route deploy/grpc-client.test",
      "jaeger traces --limit 3", "kiali graph -n grpc,test", "oc logs deploy/grpc-client -c istio-proxy --tail 5",
    ]
    var rng = SplitMix64(seed: 2024)
    func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    for batch in 0..<40 {
      let test = TestEnvironment(input: [])
      var repl = REPL(context: CommandContext(
        environment: test.environment, workspace: Workspace(path: "/home/learner/grpclab", files: test.store),
        session: LabSession(lab: lab, state: SessionState(lab: lab.id, seed: UInt64(batch)))), revision: 0)
      for _ in 0..<50 {
        var words = pick(seedLines).split(separator: " ").map(String.init)
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
        let line = words.joined(separator: " ")
        try repl.handle(line, words: (try? ShellCommand(parsing: line).stages.first) ?? [])
      }
    }
  }
}
