/// A node of the modelled OpenShift cluster: where pods run, with its slice of the pod network and its
/// image cache.
struct Node: Equatable, Sendable, Codable {
  /// A taint that keeps pods without a matching toleration off the node.
  struct Taint: Equatable, Sendable, Codable {
    var key: String
    var effect: String

    /// How the scheduler prints it: `{node-role.kubernetes.io/master: }`.
    var description: String { "{\(key): }" }
  }

  var name: String
  var internalIP: String
  /// The first three octets of the node's /23 pod subnet, e.g. `10.128.2`.
  var podSubnet: String
  var taints: [Taint] = []
  /// The kubelet's `maxPods`: OpenShift sets 250.
  var maxPods = 250
  /// The offset in the pod subnet handed out most recently.
  var lastHost = 9
  /// Offsets in the pod subnet held by pods on this node.
  var hostsInUse: Set<Int> = []
  /// Images already pulled on this node.
  var cachedImages: Set<String> = []

  /// The offsets OVN-Kubernetes hands out in a /23: the first ten are the gateway's and the node's own.
  private static let hosts = 10...510

  /// The next free pod IP on this node, or nil when the subnet is full.
  mutating func allocatePodIP() -> String? {
    var host = lastHost
    for _ in Self.hosts {
      host = host >= Self.hosts.upperBound ? Self.hosts.lowerBound : host + 1
      if !hostsInUse.contains(host) {
        lastHost = host
        hostsInUse.insert(host)
        return address(of: host)
      }
    }
    return nil
  }

  /// Returns `ip` to the node's subnet.
  mutating func releasePodIP(_ ip: String) {
    let octets = ip.split(separator: ".").compactMap { Int($0) }
    let third = podSubnet.split(separator: ".").last.flatMap { Int($0) } ?? 0
    guard octets.count == 4 else { return }
    hostsInUse.remove((octets[2] - third) * 256 + octets[3])
  }

  private func address(of host: Int) -> String {
    let octets = podSubnet.split(separator: ".")
    let third = (octets.last.flatMap { Int($0) } ?? 0) + host / 256
    return "\(octets.dropLast().joined(separator: ".")).\(third).\(host % 256)"
  }

  /// The nodes of the modelled OpenShift cluster: three control-plane nodes, tainted so that workloads
  /// stay off them, and three workers (OVN-Kubernetes gives each a /23).
  static let all: [Node] = [
    Node(
      name: "master-0.ocp.example.com", internalIP: "10.0.136.41", podSubnet: "10.128.0",
      taints: [Taint(key: "node-role.kubernetes.io/master", effect: "NoSchedule")]),
    Node(
      name: "master-1.ocp.example.com", internalIP: "10.0.155.88", podSubnet: "10.130.0",
      taints: [Taint(key: "node-role.kubernetes.io/master", effect: "NoSchedule")]),
    Node(
      name: "master-2.ocp.example.com", internalIP: "10.0.163.120", podSubnet: "10.129.0",
      taints: [Taint(key: "node-role.kubernetes.io/master", effect: "NoSchedule")]),
    Node(name: "worker-0.ocp.example.com", internalIP: "10.0.128.12", podSubnet: "10.128.2"),
    Node(name: "worker-1.ocp.example.com", internalIP: "10.0.149.37", podSubnet: "10.131.0"),
    Node(name: "worker-2.ocp.example.com", internalIP: "10.0.170.201", podSubnet: "10.129.2"),
  ]
}
