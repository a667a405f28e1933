/// A worker node: where pods run, with its slice of the pod network and its image cache.
struct Node: Equatable, Sendable {
  var name: String
  var internalIP: String
  /// The first three octets of the node's pod subnet, e.g. `10.128.2`.
  var podSubnet: String
  /// The last octet handed out most recently.
  var lastHost: Int = 9
  /// Images already pulled on this node.
  var cachedImages: Set<String> = []

  /// The next pod IP on this node.
  mutating func allocatePodIP() -> String {
    lastHost = lastHost >= 254 ? 10 : lastHost + 1
    return "\(podSubnet).\(lastHost)"
  }

  /// The worker nodes of the modelled OpenShift cluster (OVN-Kubernetes gives each a /23).
  static let workers: [Node] = [
    Node(name: "worker-0.ocp.example.com", internalIP: "10.0.128.12", podSubnet: "10.128.2"),
    Node(name: "worker-1.ocp.example.com", internalIP: "10.0.149.37", podSubnet: "10.131.0"),
    Node(name: "worker-2.ocp.example.com", internalIP: "10.0.170.201", podSubnet: "10.129.2"),
  ]
}
