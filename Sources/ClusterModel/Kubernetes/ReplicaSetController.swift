/// The replicaset controller's decision when a ReplicaSet has more pods than it wants: which go. Pods
/// that are not ready go first, then the newest, as the controller ranks them. `Cluster.syncReplicaSets`
/// deletes them as its rate limiter allows.
enum ReplicaSetController {
  /// The pods to delete among `pods` (the set's own, not terminating) to keep `desired`.
  static func victims(among pods: [Pod], keeping desired: Int) -> ArraySlice<Pod> {
    pods.sorted { a, b in
      if a.isReady != b.isReady { return !a.isReady }
      return a.metadata.createdAt > b.metadata.createdAt
    }.prefix(max(pods.count - desired, 0))
  }
}
