import Testing

@testable import ClusterModel

/// The controllers' decisions on their own: a Service's endpoints, the pods a ReplicaSet deletes, and
/// the ReplicaSet a Deployment's template gets.
@Suite struct ControllersTests {
  @Test func endpointsListTheMatchingPodsReadyAndNotReadyButNotTerminating() throws {
    var cluster = try labCluster(seed: 3)
    let service = try #require(cluster.store.service("grpc", in: "grpc"))
    func subsets(_ service: Service, _ selector: [String: String] = ["app": "grpc"]) -> [Endpoints.Subset]? {
      EndpointsController.subsets(of: service, selector: selector, in: cluster.store)
    }
    let ready = try #require(subsets(service)?.first?.addresses)
    #expect(ready.count == 3 && ready.map(\.ip) == ready.map(\.ip).sorted())
    #expect(subsets(service)?.first?.ports?.map(\.port) == [9000] && subsets(service)?.first?.notReadyAddresses == nil)
    var named = service
    named.spec.ports = [.init(name: "grpc", port: 9000, targetPort: .string("grpc"))]
    #expect(subsets(named) == nil, "no container names the port")
    #expect(subsets(service, ["app": "none"]) == nil)

    guard case .deployment(var deployment) = try cluster.get(ObjectKey(kind: .deployment, namespace: "grpc", name: "grpc-v1")) else {
      Issue.record("no Deployment")
      return
    }
    deployment.spec.replicas = 2
    try cluster.update(.deployment(deployment))
    #expect(subsets(service)?.first?.addresses?.count == 3 && subsets(service)?.first?.notReadyAddresses?.count == 1)
    let leaving = try #require(ready.first?.targetRef?.name)
    try cluster.delete(ObjectKey(kind: .pod, namespace: "grpc", name: leaving))
    #expect(subsets(service)?.first?.addresses?.contains { $0.targetRef?.name == leaving } == false)
  }

  @Test func aReplicaSetDeletesPodsThatAreNotReadyFirstThenTheNewest() {
    func pod(_ name: String, ready: Bool, created seconds: Int64) -> Pod {
      var metadata = ObjectMeta(name: name, namespace: "grpc")
      metadata.creationTimestamp = Timestamp(SimTime(seconds: seconds))
      var status = PodStatus(phase: "Running")
      status.conditions = [PodCondition(type: "Ready", status: ready ? "True" : "False")]
      return Pod(metadata: metadata, spec: PodSpec(containers: []), status: status)
    }
    let pods = [pod("old", ready: true, created: 1), pod("new", ready: true, created: 9), pod("starting", ready: false, created: 5)]
    #expect(ReplicaSetController.victims(among: pods, keeping: 1).map(\.metadata.name) == ["starting", "new"])
    #expect(ReplicaSetController.victims(among: pods, keeping: 3).isEmpty)
    #expect(ReplicaSetController.victims(among: pods, keeping: 5).isEmpty)
  }

  @Test func aNewTemplateGetsAReplicaSetNamedByItsHash() {
    var metadata = ObjectMeta(name: "grpc-v1", namespace: "grpc", labels: ["app": "grpc"])
    metadata.annotations = [Cluster.revisionAnnotation: "3", "team": "lab", "kubectl.kubernetes.io/last-applied-configuration": "{}"]
    let template = PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "grpc"]), spec: PodSpec(containers: [Container(name: "c", image: "i")]))
    let deployment = Deployment(
      metadata: metadata, spec: .init(replicas: 8, selector: LabelSelector(matchLabels: ["app": "grpc"]), template: template))
    let owner = OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: "grpc-v1", uid: "u", controller: true, blockOwnerDeletion: true)
    let set = DeploymentController.newReplicaSet(for: deployment, revision: 4, owner: owner)
    let hash = DeploymentController.podTemplateHash(template)
    #expect(set.metadata.name == "grpc-v1-\(hash)" && hash.count >= 1)
    #expect(set.spec.template.metadata?.labels == ["app": "grpc", "pod-template-hash": hash])
    #expect(set.spec.selector.matchLabels == ["app": "grpc", "pod-template-hash": hash])
    #expect(set.metadata.annotations == [
      "team": "lab", Cluster.revisionAnnotation: "4", "deployment.kubernetes.io/desired-replicas": "8",
      "deployment.kubernetes.io/max-replicas": "10",
    ])
    #expect(set.metadata.ownerReferences == [owner] && set.spec.replicas == 8)
    var changed = template
    changed.spec.containers[0].image = "j"
    #expect(DeploymentController.podTemplateHash(changed) != hash)
    #expect(DeploymentController.podTemplateHash(changed) == DeploymentController.computedHash(changed), "a remembered hash is the one worked out")
    #expect(DeploymentController.podTemplateHash(template) == DeploymentController.computedHash(template))
  }

  /// A sync in order: the set whose template came back takes the next revision and the Deployment's
  /// annotations, the Deployment takes its revision, the set scales, the old set (once the new one is
  /// ready) scales to zero, and the status counts both.
  @Test func aRolloutWritesAndReportsInTheControllersOrder() throws {
    let template = PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "grpc"]), spec: PodSpec(containers: [Container(name: "c", image: "i")]))
    var metadata = ObjectMeta(name: "grpc-v1", namespace: "grpc")
    metadata.annotations = ["team": "lab", Cluster.revisionAnnotation: "2"]
    let deployment = Deployment(
      metadata: metadata, spec: .init(replicas: 3, selector: LabelSelector(matchLabels: ["app": "grpc"]), template: template))
    func set(_ name: String, revision: Int, replicas: Int, ready: Int) -> ReplicaSet {
      var meta = ObjectMeta(name: name, namespace: "grpc")
      meta.annotations = [Cluster.revisionAnnotation: String(revision)]
      var set = ReplicaSet(metadata: meta, spec: .init(replicas: replicas, selector: LabelSelector(matchLabels: ["app": "grpc"]), template: template))
      set.status = .init(replicas: replicas, readyReplicas: ready)
      return set
    }
    let current = set("grpc-v1-a", revision: 1, replicas: 2, ready: 3)
    let old = set("grpc-v1-b", revision: 2, replicas: 1, ready: 1)
    let steps = DeploymentController.rollout(of: deployment, current: current, owned: [current, old], at: SimTime(seconds: 9))
    guard steps.count == 7, case .write(.replicaSet(let relabelled)) = steps[0], case .write(.deployment(let marked)) = steps[1],
      case .write(.replicaSet(let scaled)) = steps[3], case .write(.replicaSet(let emptied)) = steps[5],
      case .write(.deployment(let counted)) = steps[6]
    else {
      Issue.record("steps: \(steps)")
      return
    }
    #expect(relabelled.metadata.annotations == [
      "team": "lab", Cluster.revisionAnnotation: "3", "deployment.kubernetes.io/revision-history": "1",
    ])
    #expect(marked.metadata.annotation(Cluster.revisionAnnotation) == "3")
    #expect(steps[2] == .event(reason: "ScalingReplicaSet", message: "Scaled up replica set grpc-v1-a to 3 from 2"))
    #expect(scaled.spec.replicas == 3 && scaled.metadata.annotation("deployment.kubernetes.io/desired-replicas") == "3")
    #expect(steps[4] == .event(reason: "ScalingReplicaSet", message: "Scaled down replica set grpc-v1-b to 0 from 1"))
    #expect(emptied.metadata.name == "grpc-v1-b" && emptied.spec.replicas == 0)
    #expect(counted.status?.replicas == 3 && counted.status?.readyReplicas == 4 && counted.status?.updatedReplicas == 2)
    let again = DeploymentController.rollout(of: counted, current: scaled, owned: [scaled, emptied], at: SimTime(seconds: 9))
    #expect(again.isEmpty, "a sync of what the last one wrote finds nothing to do")
  }
}
