/// kube-scheduler's choice of node for a pod, as the model runs it: a pod without tolerations fits on an
/// untainted node with fewer pods than its kubelet's `maxPods`, and goes to the least loaded one.
///
/// It decides; `Cluster.syncPods` binds the pod, or marks it unschedulable with the scheduler's reasons.
struct Scheduler {
  /// What the scheduler needs to know of one node.
  private struct Slot {
    var name: String
    var taint: Node.Taint?
    var maxPods: Int
  }

  /// The cluster's nodes, in order.
  private let nodes: [Slot]
  /// Pods bound to each node, by node name; each pod the scheduler binds counts.
  private var load: [String: Int]
  /// The reasons for the nodes as `load` has them, kept for the next pod that fits nowhere and forgotten
  /// when a pod is bound.
  private var unschedulable: String?

  /// A scheduler for `nodes`, with `load` pods already bound to each, by node name.
  init(nodes: [Node], load: [String: Int]) {
    self.nodes = nodes.map { Slot(name: $0.name, taint: $0.taints.first, maxPods: $0.maxPods) }
    self.load = load
  }

  /// Whether some node has room for a pod.
  var hasRoom: Bool { !nodesWithRoom.isEmpty }

  /// The index of the node the next pod goes to; nil when no node has room, and `reasons()` says why.
  func place() -> Int? {
    nodesWithRoom.min { load[nodes[$0].name, default: 0] < load[nodes[$1].name, default: 0] }
  }

  /// Counts a pod bound to `nodes[index]`.
  mutating func bind(to index: Int) {
    load[nodes[index].name, default: 0] += 1
    unschedulable = nil
  }

  /// Why no node has room for a pod, kept until a pod is bound.
  mutating func reasons() -> String {
    let message = unschedulable ?? unschedulableMessage
    unschedulable = message
    return message
  }

  /// The indices of the nodes a pod without tolerations fits on: untainted, with fewer pods than `maxPods`.
  private var nodesWithRoom: [Int] {
    nodes.indices.filter { nodes[$0].taint == nil && load[nodes[$0].name, default: 0] < nodes[$0].maxPods }
  }

  /// The scheduler's reasons for a pod no node has room for: the reasons per node, counted and sorted,
  /// then what preemption found.
  private var unschedulableMessage: String {
    var reasons: [String: Int] = [:]
    var preemption: [String: Int] = [:]
    for node in nodes {
      if let taint = node.taint {
        reasons["node(s) had untolerated taint \(taint.description)", default: 0] += 1
        preemption["Preemption is not helpful for scheduling", default: 0] += 1
      } else if load[node.name, default: 0] >= node.maxPods {
        reasons["Too many pods", default: 0] += 1
        preemption["No preemption victims found for incoming pod", default: 0] += 1
      }
    }
    func summary(_ counts: [String: Int]) -> String {
      "0/\(nodes.count) nodes are available: " + counts.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ") + "."
    }
    return summary(reasons) + " preemption: " + summary(preemption)
  }
}
