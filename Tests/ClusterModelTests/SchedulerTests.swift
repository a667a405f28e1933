import Testing

@testable import ClusterModel

/// The scheduler's decision on its own: the nodes and their load in, a node or the reasons out.
@Suite struct SchedulerTests {
  @Test func aPodGoesToTheLeastLoadedWorkerAndNeverToATaintedNode() {
    let workers = Node.all.filter(\.taints.isEmpty).map(\.name)
    var scheduler = Scheduler(nodes: Node.all, load: [workers[0]: 2, workers[1]: 1])
    let index = scheduler.place()
    #expect(index.map { Node.all[$0].name } == workers[2])
    scheduler.bind(to: index ?? 0)
    #expect(scheduler.place().map { Node.all[$0].name } == workers[1])
  }

  @Test func fullNodesGiveTheSchedulersReasonsUntilAPodIsBound() {
    var nodes = Node.all
    for index in nodes.indices { nodes[index].maxPods = 1 }
    var scheduler = Scheduler(nodes: nodes, load: Dictionary(uniqueKeysWithValues: nodes.filter(\.taints.isEmpty).map { ($0.name, 1) }))
    #expect(!scheduler.hasRoom)
    #expect(scheduler.place() == nil)
    let reasons = scheduler.reasons()
    #expect(
      reasons == "0/6 nodes are available: 3 Too many pods, 3 node(s) had untolerated taint {node-role.kubernetes.io/master: }. "
        + "preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.")
    nodes[3].maxPods = 2
    scheduler = Scheduler(nodes: nodes, load: Dictionary(uniqueKeysWithValues: nodes.filter(\.taints.isEmpty).map { ($0.name, 1) }))
    #expect(scheduler.place() == 3)
  }
}
