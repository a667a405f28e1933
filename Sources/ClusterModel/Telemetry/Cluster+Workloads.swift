extension Cluster {
  /// The workload a pod belongs to, as Kiali and Istio's telemetry name it: the Deployment behind its
  /// ReplicaSet, the pod's other controller, or the pod itself; a pod already deleted is named by
  /// dropping the ReplicaSet hash and random suffix when its name has them.
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
    if store.pod(pod) != nil { return pod.name }
    let parts = pod.name.split(separator: "-")
    return parts.count > 2 ? parts.dropLast(2).joined(separator: "-") : pod.name
  }
}
