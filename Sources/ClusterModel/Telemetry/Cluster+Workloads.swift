extension Cluster {
  /// The workload a pod belongs to, as Kiali and Istio's telemetry name it: the Deployment behind its
  /// ReplicaSet, else the pod name without the ReplicaSet hash and random suffix.
  public func workload(of pod: PodRef) -> String {
    if let owner = store.pod(pod)?.metadata.ownerReferences?.first(where: { $0.controller == true }) {
      if owner.kind == "ReplicaSet",
        case .replicaSet(let set) = store[ObjectKey(kind: .replicaSet, namespace: pod.namespace, name: owner.name)],
        let deployment = set.metadata.ownerReferences?.first(where: { $0.controller == true })
      {
        return deployment.name
      }
      return owner.name
    }
    let parts = pod.name.split(separator: "-")
    return parts.count > 2 ? parts.dropLast(2).joined(separator: "-") : pod.name
  }
}
