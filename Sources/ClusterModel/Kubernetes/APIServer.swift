/// The API server's storage, as etcd keeps it: every object, and the revision each change takes.
///
/// Objects change only through it, so each write carries a new resource version and wakes the
/// controllers that watch its kind (`ControllerWatches`).
struct APIServer: Equatable, Sendable, Codable {
  /// Every stored object.
  private(set) var store = ObjectStore()
  /// The store's latest revision: every write and every deletion takes the next one.
  private(set) var lastResourceVersion = 31_517
  /// Which controllers and kubelets have nothing to do until what they watch changes.
  var watches = ControllerWatches()

  private enum CodingKeys: String, CodingKey {
    case store, lastResourceVersion, watches
  }

  /// Stores `object` under the next resource version, which it takes.
  mutating func write(_ object: inout APIObject) {
    lastResourceVersion += 1
    object.metadata.resourceVersion = String(lastResourceVersion)
    store[object.key] = object
    watches.recordChange(of: object.key, at: lastResourceVersion)
  }

  /// Removes the object under `key`; like etcd, a deletion takes a revision of its own.
  ///
  /// - Returns: The removed object; nil when there was none, and nothing changed.
  mutating func remove(_ key: ObjectKey) -> APIObject? {
    guard let object = store[key] else { return nil }
    store[key] = nil
    lastResourceVersion += 1
    watches.recordChange(of: key, at: lastResourceVersion)
    if key.kind == .pod, let uid = object.metadata.uid { watches.forgetPod(uid) }
    return object
  }
}
