import Testing

@testable import ClusterModel

/// The scheduler's and kube-proxy's decisions on their own: narrow inputs, a value out.
@Suite struct SchedulerTests {
  @Test func aPodGoesToTheLeastLoadedWorkerAndNeverToATaintedNode() {
    let workers = Node.all.filter(\.taints.isEmpty).map(\.name)
    var scheduler = Scheduler(nodes: Node.all, boundTo: [workers[0], workers[0], workers[1]])
    let index = scheduler.place()
    #expect(index.map { Node.all[$0].name } == workers[2])
    scheduler.bind(to: index ?? 0)
    #expect(scheduler.place().map { Node.all[$0].name } == workers[1])
  }

  @Test func fullNodesGiveTheSchedulersReasonsUntilAPodIsBound() {
    var nodes = Node.all
    for index in nodes.indices { nodes[index].maxPods = 1 }
    var scheduler = Scheduler(nodes: nodes, boundTo: nodes.filter(\.taints.isEmpty).map(\.name))
    #expect(!scheduler.hasRoom)
    #expect(scheduler.place() == nil)
    let reasons = scheduler.reasons()
    #expect(
      reasons == "0/6 nodes are available: 3 Too many pods, 3 node(s) had untolerated taint {node-role.kubernetes.io/master: }. "
        + "preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.")
    nodes[3].maxPods = 2
    scheduler = Scheduler(nodes: nodes, boundTo: nodes.filter(\.taints.isEmpty).map(\.name))
    #expect(scheduler.place() == 3)
  }

  @Test func kubeProxyPicksEachEndpointWithEqualChance() {
    var rng = SplitMix64(seed: 11)
    var counts = [0, 0, 0]
    for _ in 0..<30_000 { counts[KubeProxy.pick(among: 3, rng: &rng)] += 1 }
    #expect(counts.allSatisfy { (9_500...10_500).contains($0) }, "\(counts)")
    #expect(KubeProxy.pick(among: 1, rng: &rng) == 0)
    #expect(KubeProxy.pick(among: 0, rng: &rng) == 0)
  }
}
