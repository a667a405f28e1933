import ClusterModel
import ClusterTools

/// A step's checks over many seeds: the same journal replayed into clusters that differ only by chance
/// (pod names and addresses, kube-proxy's and Envoy's picks), to tell an outcome of mechanism from luck.
public enum SeedSweep {
  /// What one seed gave.
  public struct Outcome: Equatable, Sendable {
    public var seed: UInt64
    public var results: [CheckResult]
    /// For each check that counts serving pods, the workloads whose pods served the client's last run
    /// (`grpc-v1`, or `grpc-v1+grpc-v3`); nil for other checks.
    public var servers: [String?]
    /// The first journal entry that did not replay as it ran under this seed.
    public var replayFailure: LabSession.ReplayFailure?
  }

  /// Replays `state`'s journal under `seed` and checks step `step` (0-based).
  public static func outcome(of state: SessionState, lab: Lab, step: Int, seed: UInt64) -> Outcome {
    var replayed = state
    replayed.seed = seed
    replayed.beforeLanding = nil
    let session = LabSession(lab: lab, state: replayed)
    let checks = lab.steps[lab.stepIndex(clamping: step)].checks
    let cluster = session.cluster
    return Outcome(
      seed: seed, results: session.check(step: step),
      servers: checks.map { servingWorkloads($0, in: cluster) }, replayFailure: session.replayFailure)
  }

  /// The workloads whose pods served the lab client's last run, for a check that counts serving pods.
  static func servingWorkloads(_ check: Check, in cluster: Cluster) -> String? {
    guard case .servingPods(let query) = check.query else { return nil }
    return Set(Check.servingPods(matching: query, in: cluster).map(workload(of:))).sorted().joined(separator: "+")
  }

  /// The Deployment a pod belongs to (its ReplicaSet's name without the template hash), else its own name.
  static func workload(of pod: Pod) -> String {
    guard let owner = pod.metadata.ownerReferences?.first(where: { $0.kind == "ReplicaSet" }),
      let dash = owner.name.lastIndex(of: "-")
    else { return pod.metadata.name }
    return String(owner.name[..<dash])
  }

  /// Per check: the seeds it passed in, the figures it observed, and, for serving pods, which workloads
  /// served; then the seeds whose journal did not replay. In `language`.
  public static func report(_ outcomes: [Outcome], lab: Lab, step: Int, language: Language) -> String {
    let zh = language == .zh
    let count = outcomes.count
    let index = lab.stepIndex(clamping: step)
    let stepName = "\(index + 1) (\(lab.steps[index].id))"
    var text = zh
      ? "第 \(stepName) 步，在 \(count) 个种子下重放你的日志：\n" : "Step \(stepName) over \(Message.counted(count, "seed")) of your journal:\n"
    guard let first = outcomes.first else { return text }
    for (number, check) in first.results.enumerated() {
      let results = outcomes.compactMap { $0.results.indices.contains(number) ? $0.results[number] : nil }
      let passed = results.filter(\.passed).count
      text += "\(passed == count ? "✔" : "✘") \(passed)/\(count)  \(check.text)\n"
      let observed: String = distribution(results.map { figure($0, zh: zh) }, of: count, zh: zh)
      text += (zh ? "    观测到：" : "    observed: ") + observed + "\n"
      let servers: [String] = outcomes.compactMap { $0.servers.indices.contains(number) ? $0.servers[number] : nil }
      if !servers.isEmpty {
        let none = zh ? "（无）" : "(none)"
        let served: String = distribution(servers.map { $0.isEmpty ? none : $0 }, of: count, zh: zh)
        text += (zh ? "    提供服务的是：" : "    served by: ") + served + "\n"
      }
    }
    let failures = outcomes.filter { $0.replayFailure != nil }
    if let failure = failures.first, let entry = failure.replayFailure {
      text += zh
        ? "！有 \(failures.count) 个种子的日志没能按原样重放（例如种子 \(failure.seed) 的第 \(entry.index + 1) 条 '\(entry.line)'：\(entry.error)）；按名字指定 Pod 的命令在别的种子下会找不到 Pod。\n"
        : "! \(Message.counted(failures.count, "seed")) did not replay the journal as it ran (seed \(failure.seed): entry \(entry.index + 1), '\(entry.line)': \(entry.error)); a command that names a pod finds no such pod under another seed.\n"
    }
    return text
  }

  /// A check's figure in a few words: `1 pod`, `25 calls`.
  private static func figure(_ result: CheckResult, zh: Bool) -> String {
    result.unit.count(result.observed, zh: zh)
  }

  /// Values by how often they came, most frequent first (ties in order of value), with their share of `count`.
  private static func distribution(_ values: [String], of count: Int, zh: Bool) -> String {
    var tally: [String: Int] = [:]
    for value in values { tally[value, default: 0] += 1 }
    return tally.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { value, times in
      zh ? "\(value) 占 \(percent(times, of: count))" : "\(value) in \(percent(times, of: count))"
    }.joined(separator: ", ")
  }

  /// `34 %`, or `100 %`; `<1 %` for a share that rounds to nothing.
  private static func percent(_ part: Int, of whole: Int) -> String {
    guard whole > 0 else { return "0 %" }
    let value = (Double(part) * 100 / Double(whole)).rounded()
    return value == 0 && part > 0 ? "<1 %" : "\(Int(value)) %"
  }
}
