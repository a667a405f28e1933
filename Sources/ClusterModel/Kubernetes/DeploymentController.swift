import Foundation

extension Cluster {
  /// The annotation that numbers a Deployment's ReplicaSets, and marks the Deployment with its current one.
  public static let revisionAnnotation = "deployment.kubernetes.io/revision"
}

/// The deployment controller's decisions for one Deployment, from the Deployment and the ReplicaSets it
/// owns: the ReplicaSet a new pod template gets, then each write and event of a sync (`rollout`), in order.
/// `Cluster.syncDeployments` creates the set and carries out the rest.
enum DeploymentController {
  /// One of the things a sync does, in order.
  enum Step: Equatable {
    /// Stores the object: a ReplicaSet's annotations or scale, the Deployment's revision or status.
    case write(APIObject)
    /// Records an event about the Deployment.
    case event(reason: String, message: String)
  }

  /// The revision of the newest of `sets` (0 when there are none), and the one a new set takes (the same
  /// once it reaches `Int.max`).
  static func revisions(of sets: [ReplicaSet]) -> (newest: Int, next: Int) {
    let newest = sets.compactMap { Int($0.metadata.annotation(Cluster.revisionAnnotation) ?? "") }.max() ?? 0
    return (newest, newest == Int.max ? newest : newest + 1)
  }

  /// A sync of `deployment`: its current ReplicaSet takes the Deployment's annotations (and the next
  /// revision when its template came back from an older one) and the Deployment's scale; the other sets
  /// scale to zero, in the order given, once it is ready; the Deployment takes its revision and its status.
  ///
  /// - Parameters:
  ///   - current: The ReplicaSet of the Deployment's pod template, which the sync may just have created.
  ///   - owned: The sets the Deployment owned before the sync, by name.
  ///   - now: When the sync runs, for the status's conditions.
  /// - Returns: The writes and events, in the order the controller makes them; none when all is as it should be.
  static func rollout(of deployment: Deployment, current: ReplicaSet, owned: [ReplicaSet], at now: SimTime) -> [Step] {
    var deployment = deployment
    var current = current
    var steps: [Step] = []
    let desired = deployment.spec.replicas ?? 1
    let (revision, next) = revisions(of: owned)
    let newName = current.metadata.name
    var annotations = (current.metadata.annotations ?? [:]).merging(copiedAnnotations(of: deployment)) { _, new in new }
    let currentRevision = Int(current.metadata.annotation(Cluster.revisionAnnotation) ?? "") ?? 0
    if currentRevision < revision {
      let history = [current.metadata.annotation("deployment.kubernetes.io/revision-history"), String(currentRevision)]
      annotations["deployment.kubernetes.io/revision-history"] = history.compactMap { $0 }.joined(separator: ",")
      annotations[Cluster.revisionAnnotation] = String(next)
    }
    if annotations != current.metadata.annotations ?? [:] {
      current.metadata.annotations = annotations
      steps.append(.write(.replicaSet(current)))
    }
    if let newRevision = current.metadata.annotation(Cluster.revisionAnnotation),
      deployment.metadata.annotation(Cluster.revisionAnnotation) != newRevision
    {
      deployment.metadata.annotations = (deployment.metadata.annotations ?? [:]).merging([Cluster.revisionAnnotation: newRevision]) { _, new in new }
      steps.append(.write(.deployment(deployment)))
    }
    if let replicas = current.spec.replicas, replicas != desired {
      let direction = desired > replicas ? "up" : "down"
      steps.append(.event(reason: "ScalingReplicaSet", message: "Scaled \(direction) replica set \(newName) to \(desired) from \(replicas)"))
      current.spec.replicas = desired
      current.metadata.annotations?["deployment.kubernetes.io/desired-replicas"] = String(desired)
      steps.append(.write(.replicaSet(current)))
    }
    let newReady = current.status?.readyReplicas ?? 0
    for var old in owned where old.metadata.name != newName && (old.spec.replicas ?? 0) > 0 && newReady >= desired {
      steps.append(.event(reason: "ScalingReplicaSet", message: "Scaled down replica set \(old.metadata.name) to 0 from \(old.spec.replicas ?? 0)"))
      old.spec.replicas = 0
      steps.append(.write(.replicaSet(old)))
    }
    let sets = owned.filter { $0.metadata.name != newName } + [current]
    let pods = sets.reduce(0) { $0 + ($1.status?.replicas ?? 0) }
    let ready = sets.reduce(0) { $0 + ($1.status?.readyReplicas ?? 0) }
    let updated = current.status?.replicas ?? 0
    let status = Deployment.Status(
      observedGeneration: deployment.metadata.generation, replicas: pods, updatedReplicas: updated,
      readyReplicas: ready == 0 ? nil : ready, availableReplicas: ready == 0 ? nil : ready,
      unavailableReplicas: pods - ready > 0 ? pods - ready : nil,
      conditions: conditions(
        of: deployment, newName: newName, available: ready >= desired,
        complete: updated == desired && ready >= desired && pods == desired, at: now))
    if deployment.status != status {
      deployment.status = status
      steps.append(.write(.deployment(deployment)))
    }
    return steps
  }

  /// Annotations of a Deployment its ReplicaSets do not take (`skipCopyAnnotation` in the deployment
  /// controller).
  private static let uncopiedAnnotations: Set<String> = [
    "kubectl.kubernetes.io/last-applied-configuration", Cluster.revisionAnnotation,
    "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to",
  ]

  /// The annotations of `deployment` its ReplicaSets take, when created and on every sync.
  static func copiedAnnotations(of deployment: Deployment) -> [String: String] {
    (deployment.metadata.annotations ?? [:]).filter { !uncopiedAnnotations.contains($0.key) }
  }

  /// The ReplicaSet for the Deployment's current pod template: named and labelled by the template's hash,
  /// with the Deployment's annotations that sets take, numbered `revision`, and controlled by `owner`.
  static func newReplicaSet(for deployment: Deployment, revision: Int, owner: OwnerReference) -> ReplicaSet {
    let namespace = deployment.metadata.namespace ?? ""
    let desired = deployment.spec.replicas ?? 1
    let hash = podTemplateHash(deployment.spec.template)
    let newName = "\(deployment.metadata.name)-\(hash)"
    var template = deployment.spec.template
    var labels = template.metadata?.labels ?? [:]
    labels["pod-template-hash"] = hash
    template.metadata = template.metadata ?? ObjectMeta()
    template.metadata?.labels = labels
    var selector = deployment.spec.selector
    selector.matchLabels = (selector.matchLabels ?? [:]).merging(["pod-template-hash": hash]) { a, _ in a }
    var meta = ObjectMeta(name: newName, namespace: namespace, labels: labels)
    meta.annotations = copiedAnnotations(of: deployment)
      .merging([
        "deployment.kubernetes.io/desired-replicas": String(desired),
        "deployment.kubernetes.io/max-replicas": String(desired + max(1, (desired + 3) / 4)),
        Cluster.revisionAnnotation: String(revision),
      ]) { _, new in new }
    meta.ownerReferences = [owner]
    return ReplicaSet(metadata: meta, spec: .init(replicas: desired, selector: selector, template: template))
  }

  /// The `Available` and `Progressing` conditions of `deployment` at `now`, each kept as it was while its
  /// status and reason stand.
  static func conditions(
    of deployment: Deployment, newName: String, available: Bool, complete: Bool, at now: SimTime
  ) -> [Deployment.Condition] {
    let old = deployment.status?.conditions ?? []
    func condition(_ type: String, _ status: Bool, _ reason: String, _ message: String) -> Deployment.Condition {
      let previous = old.first { $0.type == type }
      let value = status ? "True" : "False"
      if let previous, previous.status == value, previous.reason == reason { return previous }
      return Deployment.Condition(
        type: type, status: value, lastUpdateTime: Timestamp(now), lastTransitionTime: Timestamp(now), reason: reason,
        message: message)
    }
    return [
      available
        ? condition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.")
        : condition("Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
      complete
        ? condition("Progressing", true, "NewReplicaSetAvailable", "ReplicaSet \"\(newName)\" has successfully progressed.")
        : condition("Progressing", true, "ReplicaSetUpdated", "ReplicaSet \"\(newName)\" is progressing."),
    ]
  }

  /// The templates hashed lately, and their hashes: a sweep over seeds hashes the same few templates in
  /// every replay, and encoding one costs far more than comparing it.
  private static let recentHashes = RecentComparedResults<PodTemplateSpec, String>(capacity: 16)

  /// `pod-template-hash`: FNV-32a of the template, its decimal digits mapped to Kubernetes' safe alphabet.
  static func podTemplateHash(_ template: PodTemplateSpec) -> String {
    recentHashes.result(for: template) { computedHash(template) }
  }

  /// `podTemplateHash`, worked out.
  static func computedHash(_ template: PodTemplateSpec) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let hash = Checksum.fnv1a32((try? encoder.encode(template)) ?? Data())
    let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    return String(String(hash).unicodeScalars.map { alphabet[Int($0.value) % alphabet.count] })
  }
}
