/// The kubelets' runtime state of every pod, by pod UID.
///
/// A cluster made from an archive keeps it as its archived text until first used. The archive also keeps
/// when a kubelet next has work for one of the pods, so that time passing on a settled cluster, beside
/// however many pods, decodes none of them.
struct PodRuntimes: Equatable, Sendable, Codable {
  private var table = DeferredJSON<[String: PodRuntime]>()
  /// No pod's kubelet has work before this, nor does a stopping pod's containers stop; nil when never.
  /// Archived, and read only while the table is still text, when it is exact.
  private var quietUntil: SimTime?

  init() {}

  /// The runtime of the pod with UID `uid`.
  subscript(uid: String) -> PodRuntime? {
    get { table.value[uid] }
    _modify { yield &table.value[uid] }
  }

  /// The phase of the runtime of the pod with UID `uid`, read without copying the rest; nil when it has none.
  func phase(of uid: String) -> PodRuntime.Phase? {
    table.value[uid]?.phase
  }

  /// The runtime of the pod with UID `uid`, or `runtime` when it has none yet.
  subscript(uid: String, default runtime: @autoclosure () -> PodRuntime) -> PodRuntime {
    get { table.value[uid] ?? runtime() }
    _modify { yield &table.value[uid, default: runtime()] }
  }

  /// Whether the kubelets have nothing to do for any pod at `now` (`PodRuntime.Phase.isIdle(at:)`).
  func areIdle(at now: SimTime) -> Bool {
    isQuiet(at: now) || table.value.values.allSatisfy { $0.phase.isIdle(at: now) }
  }

  /// Whether some pod being deleted has its containers stopped by `now`.
  func someStopped(by now: SimTime) -> Bool {
    !isQuiet(at: now) && table.value.values.contains { $0.stopsAt.map { $0 <= now } ?? false }
  }

  /// Whether the archived bound says, without decoding the table, that nothing happens at `now`.
  private func isQuiet(at now: SimTime) -> Bool {
    !table.isDecoded && quietUntil.map { now < $0 } ?? true
  }

  /// Whether the runtimes are decoded: false only while they are still a snapshot's text.
  var isDecoded: Bool { table.isDecoded }

  static func == (lhs: PodRuntimes, rhs: PodRuntimes) -> Bool {
    lhs.table == rhs.table
  }

  private enum CodingKeys: String, CodingKey {
    case table, quietUntil
  }

  /// Archives the table, and when a kubelet next has work: worked out anew unless the table is still text.
  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(table, forKey: .table)
    let next = table.isDecoded ? table.value.values.compactMap(\.wakes).min() : quietUntil
    try container.encodeIfPresent(next, forKey: .quietUntil)
  }
}
