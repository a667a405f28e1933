import Testing

@testable import ClusterModel

/// The controllers' decisions on their own: a Service's endpoints, the pods a ReplicaSet creates and
/// deletes, and the ReplicaSet a Deployment's template gets.
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

  /// A ReplicaSet short of pods creates the missing ones, one with too many deletes the victims, and its
  /// status counts the pods it has and the ready ones.
  @Test func aReplicaSetScalesToItsDesiredCountAndCountsItsPods() {
    let template = PodTemplateSpec(metadata: nil, spec: PodSpec(containers: []))
    var set = ReplicaSet(
      metadata: ObjectMeta(name: "grpc-v1-5d8f", namespace: "grpc"),
      spec: .init(replicas: 3, selector: LabelSelector(matchLabels: ["app": "grpc"]), template: template))
    set.metadata.generation = 2
    func pod(_ name: String, ready: Bool) -> Pod {
      var status = PodStatus(phase: "Running")
      status.conditions = [PodCondition(type: "Ready", status: ready ? "True" : "False")]
      return Pod(metadata: ObjectMeta(name: name, namespace: "grpc"), spec: PodSpec(containers: []), status: status)
    }
    var listed = 0
    func pods() -> [Pod] {
      listed += 1
      return [pod("a", ready: true), pod("b", ready: false), pod("c", ready: true), pod("d", ready: true)]
    }
    #expect(ReplicaSetController.scale(set, active: 1, pods: pods) == .create(2))
    #expect(ReplicaSetController.scale(set, active: 3, pods: pods) == nil)
    #expect(listed == 0, "the pods are listed only when some must go")
    #expect(ReplicaSetController.scale(set, active: 4, pods: pods) == .delete(["b"]))
    set.spec.replicas = nil
    #expect(ReplicaSetController.scale(set, active: 0, pods: pods) == .create(1), "one replica when none is set")
    #expect(
      ReplicaSetController.status(of: set, pods: 4, ready: 3)
        == ReplicaSet.Status(replicas: 4, fullyLabeledReplicas: 4, readyReplicas: 3, availableReplicas: 3, observedGeneration: 2))
    #expect(
      ReplicaSetController.status(of: set, pods: 2, ready: 0)
        == ReplicaSet.Status(replicas: 2, fullyLabeledReplicas: 2, readyReplicas: nil, availableReplicas: nil, observedGeneration: 2))
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
  /// ready) scales to zero, and the status counts both; a sync of what it wrote finds nothing to do.
  @Test func aRolloutWritesAndReportsInTheControllersOrder() {
    let (deployment, old) = (Self.deployment, Self.replicaSet("grpc-v1-b", revision: 2, spec: 1, status: 1))
    let current = Self.replicaSet("grpc-v1-a", revision: 1, spec: 4, status: 3)
    let steps = DeploymentController.rollout(of: deployment, current: current, owned: [current, old], at: SimTime(seconds: 9))
    var relabelled = current
    relabelled.metadata.annotations = ["team": "lab", Cluster.revisionAnnotation: "3", "deployment.kubernetes.io/revision-history": "1"]
    var marked = deployment
    marked.metadata.annotations?[Cluster.revisionAnnotation] = "3"
    var scaled = relabelled
    scaled.spec.replicas = 3
    scaled.metadata.annotations?["deployment.kubernetes.io/desired-replicas"] = "3"
    var emptied = old
    emptied.spec.replicas = 0
    var counted = marked
    counted.status = Deployment.Status(
      observedGeneration: nil, replicas: 4, updatedReplicas: 3, readyReplicas: 4, availableReplicas: 4, unavailableReplicas: nil,
      conditions: DeploymentController.conditions(of: marked, newName: "grpc-v1-a", available: true, complete: false, at: SimTime(seconds: 9)))
    #expect(steps == [
      .write(.replicaSet(relabelled)), .write(.deployment(marked)),
      .event(reason: "ScalingReplicaSet", message: "Scaled down replica set grpc-v1-a to 3 from 4"), .write(.replicaSet(scaled)),
      .event(reason: "ScalingReplicaSet", message: "Scaled down replica set grpc-v1-b to 0 from 1"), .write(.replicaSet(emptied)),
      .write(.deployment(counted)),
    ])
    let again = DeploymentController.rollout(of: counted, current: scaled, owned: [scaled, emptied], at: SimTime(seconds: 9))
    #expect(again.isEmpty, "a sync of what the last one wrote finds nothing to do")
  }

  /// A set the sync has just created, which the sets it read before do not hold, counts with them, and
  /// nothing scales down before it is ready.
  @Test func aRolloutCountsTheSetItHasJustCreated() {
    let old = Self.replicaSet("grpc-v1-b", revision: 2, spec: 1, status: 1)
    var created = Self.replicaSet("grpc-v1-c", revision: 3, spec: 3, status: nil)
    created.metadata.annotations?["team"] = "lab"
    let steps = DeploymentController.rollout(of: Self.deployment, current: created, owned: [old], at: SimTime(seconds: 9))
    guard steps.count == 2, case .write(.deployment(let marked)) = steps[0], case .write(.deployment(let counted)) = steps[1] else {
      Issue.record("steps: \(steps)")
      return
    }
    #expect(marked.metadata.annotation(Cluster.revisionAnnotation) == "3")
    #expect(counted.status?.replicas == 1 && counted.status?.readyReplicas == 1 && counted.status?.updatedReplicas == 0)
  }

  /// The Deployment the rollouts sync: three replicas of one template, at revision 2.
  static let deployment: Deployment = {
    var metadata = ObjectMeta(name: "grpc-v1", namespace: "grpc")
    metadata.annotations = ["team": "lab", Cluster.revisionAnnotation: "2"]
    return Deployment(
      metadata: metadata, spec: .init(replicas: 3, selector: LabelSelector(matchLabels: ["app": "grpc"]), template: template))
  }()

  /// The template of `deployment`.
  static let template = PodTemplateSpec(
    metadata: ObjectMeta(labels: ["app": "grpc"]), spec: PodSpec(containers: [Container(name: "c", image: "i")]))

  /// A ReplicaSet of `template` at `revision`, asking for `spec` pods, with `status` of them there and ready.
  static func replicaSet(_ name: String, revision: Int, spec: Int, status: Int?) -> ReplicaSet {
    var meta = ObjectMeta(name: name, namespace: "grpc")
    meta.annotations = [Cluster.revisionAnnotation: String(revision)]
    var set = ReplicaSet(metadata: meta, spec: .init(replicas: spec, selector: LabelSelector(matchLabels: ["app": "grpc"]), template: template))
    set.status = status.map { .init(replicas: $0, readyReplicas: $0) }
    return set
  }
}
