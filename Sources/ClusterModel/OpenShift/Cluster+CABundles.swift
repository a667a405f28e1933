extension Cluster {
  /// Publishes the CA bundles every namespace holds (`CABundles`). A bundle that is deleted comes back.
  ///
  /// - Returns: Whether every bundle is published: one that could not be created is tried again.
  mutating func publishCABundles() -> Bool {
    var published = true
    for case .namespace(let namespace) in store.list(.namespace) where namespace.metadata.deletionTimestamp == nil {
      let name = namespace.metadata.name
      let meshMember = name == Self.controlPlaneNamespace || isMeshMember(name)
      let missing = CABundles.names(meshMember: meshMember).contains {
        store[ObjectKey(kind: .configMap, namespace: name, name: $0)] == nil
      }
      guard missing else { continue }
      for bundle in CABundles.bundles(in: name, meshMember: meshMember) {
        published = publish(bundle) && published
      }
    }
    return published
  }

  /// Creates the ConfigMap when it is missing. Its UID comes from its own key, not the cluster's random
  /// stream, which stays as it was for everything else.
  ///
  /// - Returns: Whether the ConfigMap exists now.
  private mutating func publish(_ bundle: ConfigMap) -> Bool {
    let (name, namespace) = (bundle.metadata.name, bundle.metadata.namespace ?? "")
    guard store.configMap(name, in: namespace) == nil else { return true }
    var generator = SplitMix64(seed: Self.fnv1a("\(namespace)/\(name)") ^ UInt64(lastResourceVersion))
    let uid = Hex.uuid(high: generator.next(), low: generator.next(), version: 4)
    return (try? insert(.configMap(bundle), uid: uid)) != nil
  }
}
