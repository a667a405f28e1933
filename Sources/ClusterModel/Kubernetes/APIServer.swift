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
  /// No stored event expires before this; nil when none was stored. It may be early, never late: each
  /// sweep (`expireEvents`) makes it exact, so that events still held as a snapshot's text are decoded only
  /// when some may have expired. Like the watches, it holds no state of the cluster.
  private var eventsExpire: SimTime?

  /// How long etcd keeps an event: OpenShift runs its API server with `--event-ttl=3h`.
  static let eventTTL = SimDuration.seconds(3 * 3_600)
  /// How long the API server puts writes on one etcd lease, which it grants for this much longer than the
  /// time to live (`--lease-reuse-duration-seconds`, capped at a twentieth of the time to live).
  static let leaseReuse = SimDuration.seconds(60)

  private enum CodingKeys: String, CodingKey {
    case store, lastResourceVersion, watches, eventsExpire
  }

  /// Whether the two hold the same objects at the same revision, whatever their watches and expiry bounds.
  static func == (lhs: APIServer, rhs: APIServer) -> Bool {
    lhs.lastResourceVersion == rhs.lastResourceVersion && lhs.store == rhs.store
  }

  /// Stores `object` under the next resource version, which it takes.
  mutating func write(_ object: inout APIObject) {
    object = write { version in
      object.metadata.resourceVersion = version
      return object
    }
  }

  /// Stores the object `versioned` makes once given the next resource version, which it takes. A caller
  /// holding an object's value sets the version on it before wrapping it: setting it on the wrapped object
  /// unwraps and wraps the value again.
  @discardableResult
  mutating func write(_ versioned: (_ resourceVersion: String) -> APIObject) -> APIObject {
    lastResourceVersion += 1
    let object = versioned(String(lastResourceVersion))
    let key = object.key
    if Self.readByCollector(key.kind), store[key].map(Ownership.init) != Ownership(object) {
      watches.recordOwnershipChange(in: key.namespace, at: lastResourceVersion)
    }
    store[key] = object
    watches.recordChange(of: key, at: lastResourceVersion)
    if case .event(let event) = object {
      let expiry = Self.expiry(of: event)
      eventsExpire = min(eventsExpire ?? expiry, expiry)
    }
    return object
  }

  /// When etcd drops `event`: its lease, shared by the writes of the minute in which it was last reported
  /// (or created, when it says it was reported earlier, as a learner's event may), runs out `eventTTL`
  /// after the end of that minute. Events thus expire minute by minute, each between three hours and three
  /// hours and a minute after it was written.
  static func expiry(of event: Event) -> SimTime {
    let written = max(event.lastTimestamp.time, event.metadata.creationTimestamp?.time ?? event.lastTimestamp.time)
    return written.rounded(downTo: leaseReuse).adding(clamped: leaseReuse + eventTTL)
  }

  /// Removes the events that expired by `now`, in key order, each deletion taking a revision as the expiry
  /// of an etcd lease does.
  mutating func expireEvents(at now: SimTime) {
    guard let first = eventsExpire, first <= now else { return }
    var expired: [ObjectKey] = []
    var next: SimTime?
    store.forEach(.event) { object in
      guard case .event(let event) = object else { return }
      let expiry = Self.expiry(of: event)
      if expiry <= now {
        expired.append(object.key)
      } else {
        next = min(next ?? expiry, expiry)
      }
    }
    for key in expired.sorted() { _ = remove(key) }
    eventsExpire = next
  }

  /// Removes the object under `key`; like etcd, a deletion takes a revision of its own.
  ///
  /// - Returns: The removed object; nil when there was none, and nothing changed.
  mutating func remove(_ key: ObjectKey) -> APIObject? {
    guard let object = store[key] else { return nil }
    store[key] = nil
    lastResourceVersion += 1
    watches.recordChange(of: key, at: lastResourceVersion)
    if Self.readByCollector(key.kind) { watches.recordOwnershipChange(in: key.namespace, at: lastResourceVersion) }
    if key.kind == .pod, let uid = object.metadata.uid { watches.forgetPod(uid) }
    if key.kind == .deployment, let uid = object.metadata.uid { watches.forgetDeployment(uid) }
    return object
  }

  /// Whether the garbage collector reads objects of `kind`: owners, and objects they own.
  private static func readByCollector(_ kind: ResourceKind) -> Bool {
    switch kind {
    case .deployment, .replicaSet, .pod: true
    default: false
    }
  }

  /// What the garbage collector reads of an object: who it is, who owns it, and whether it is going.
  private struct Ownership: Equatable {
    var uid: String?
    var owners: [OwnerReference]?
    var deleting: Bool

    init(_ object: APIObject) {
      let metadata = object.metadata
      uid = metadata.uid
      owners = metadata.ownerReferences
      deleting = metadata.deletionTimestamp != nil
    }
  }
}
