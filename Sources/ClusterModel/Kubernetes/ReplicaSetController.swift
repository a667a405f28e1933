/// The replicaset controller's decisions for one ReplicaSet: how many pods to create, or which to delete
/// (pods that are not ready go first, then the newest, as the controller ranks them), and the status that
/// counts its pods. `Cluster.syncReplicaSets` makes each request as its rate limiter allows, drawing the
/// new pods' names, and writes the status.
enum ReplicaSetController {
  /// How a sync scales a ReplicaSet.
  enum Scale: Equatable {
    /// Creates this many pods from the set's template.
    case create(Int)
    /// Deletes the pods of these names, in this order.
    case delete([String])
  }

  /// How `set`, which has `active` pods that are not terminating, reaches its desired count (one replica
  /// when it sets none); nil when it is there. `pods` lists those pods, and is called only when some must go.
  static func scale(_ set: ReplicaSet, active: Int, pods: () -> [Pod]) -> Scale? {
    let desired = set.spec.replicas ?? 1
    if active < desired { return .create(desired - active) }
    if active > desired { return .delete(victims(among: pods(), keeping: desired).map(\.metadata.name)) }
    return nil
  }

  /// The status of `set` with `pods` pods that are not terminating, `ready` of them ready, which it counts
  /// as available too.
  static func status(of set: ReplicaSet, pods: Int, ready: Int) -> ReplicaSet.Status {
    ReplicaSet.Status(
      replicas: pods, fullyLabeledReplicas: pods, readyReplicas: ready == 0 ? nil : ready,
      availableReplicas: ready == 0 ? nil : ready, observedGeneration: set.metadata.generation)
  }

  /// The pods to delete among `pods` (the set's own, not terminating) to keep `desired`.
  static func victims(among pods: [Pod], keeping desired: Int) -> ArraySlice<Pod> {
    pods.sorted { a, b in
      if a.isReady != b.isReady { return !a.isReady }
      return a.metadata.createdAt > b.metadata.createdAt
    }.prefix(max(pods.count - desired, 0))
  }
}
