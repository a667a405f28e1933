/// When each kind of object last changed, and what each controller had seen when it last ran: as an
/// informer lets a real controller sleep until an object it watches changes, a controller none of whose
/// kinds changed since a run that left it no work is not run again, and one that runs looks only at the
/// namespaces where they changed. Likewise the kubelets leave a pod alone while neither it nor its
/// containers' phase changed and no timer of that phase is due, and the scheduler and the kubelets skip a
/// whole pass while no pod changed since one that found nothing to do.
///
/// It caches the controllers' own work and holds no state of the cluster: two clusters are equal whatever
/// their watches hold. An archive keeps what the controllers and the pods' pass had settled, so a cluster
/// made from one skips what the archived cluster would have skipped; it leaves out what each kubelet
/// synced, so every pod is synced once on the first pass that is not skipped.
struct ControllerWatches: Sendable, Codable {
  /// The controllers whose work depends only on the objects they watch, and on
  /// nothing else unless it writes or leaves work: the clock, random draws, events and the rate limiter
  /// count only when it does.
  enum Controller: String, CaseIterable, Codable {
    case garbageCollector, caBundles, memberRoll, gatewayRoutes, gatewaySecrets, deployments, replicaSets, endpoints

    /// The kinds any change to whose objects may give the controller work. The garbage collector has
    /// none: only a change of ownership can (`watchesOwnership`), not a pod's status.
    var kinds: [ResourceKind] {
      switch self {
      case .garbageCollector: []
      case .caBundles: [.namespace, .configMap]
      case .memberRoll: [.serviceMeshMemberRoll, .namespace]
      case .gatewayRoutes: [.serviceMeshControlPlane, .gateway, .namespace, .deployment, .route]
      case .gatewaySecrets: [.pod, .gateway, .namespace, .secret]
      case .deployments: [.deployment, .replicaSet]
      case .replicaSets: [.replicaSet, .pod]
      case .endpoints: [.service, .pod, .endpoints]
      }
    }

    /// Whether a change of ownership (`recordOwnershipChange`) may give the controller work.
    var watchesOwnership: Bool { self == .garbageCollector }

    /// The controller's place in declaration order, which is `allCases`'s.
    var ordinal: Int {
      switch self {
      case .garbageCollector: 0
      case .caBundles: 1
      case .memberRoll: 2
      case .gatewayRoutes: 3
      case .gatewaySecrets: 4
      case .deployments: 5
      case .replicaSets: 6
      case .endpoints: 7
      }
    }
  }

  /// The store's revision at the last change to an object of each kind in each namespace (empty for
  /// cluster-scoped kinds).
  private var namespaceChanges: [ResourceKind: [String: Int]] = [:]
  /// The store's revision at the last change to an object of each kind, in any namespace, by the kind's
  /// `ordinal`; 0 while none changed. `reconcile` reads them on every pass, so they are not hashed.
  private var kindChanges = [Int](repeating: 0, count: ResourceKind.allCases.count)
  /// The store's revision at the last change of ownership in each namespace: an owner's coming or going,
  /// or a change to an object's owners, UID or deletion mark.
  private var ownershipChanges: [String: Int] = [:]
  /// The store's revision at the last change of ownership in any namespace; 0 while none changed.
  private var ownershipChanged = 0
  /// The store's revision when each controller began its last run that left no work behind, by the
  /// controller's `ordinal`.
  private var settled = [Int?](repeating: nil, count: Controller.allCases.count)
  /// The resource version and the containers' phase each pod had when its kubelet last synced it, by UID.
  private var syncedPods: [String: (resourceVersion: String?, phase: PodRuntime.Phase)] = [:]
  /// The resource versions of each Deployment and of its ReplicaSets, in key order, when the deployment
  /// controller last synced it and had nothing to do, by the Deployment's UID. Resource versions are the
  /// store's revisions, so equal lists mean the same objects as they were.
  private var quietDeployments: [String: [String?]] = [:]
  /// The store's revision when the scheduler and the kubelets began their last pass that found no pod to
  /// place or sync.
  private var podsSettled: Int?
  /// Whether every controller runs every pass and every pod is synced every time, as if nothing were
  /// settled: the cluster a cluster that skips must equal.
  var runsEverything = false

  private enum CodingKeys: String, CodingKey {
    case namespaceChanges, kindChanges, ownershipChanges, settled, podsSettled
  }

  /// Watches that saw nothing yet.
  init() {}

  /// Reads the revisions as `encode(to:)` writes them.
  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    namespaceChanges = try container.decode([ResourceKind: [String: Int]].self, forKey: .namespaceChanges)
    for (kind, revision) in try container.decode([ResourceKind: Int].self, forKey: .kindChanges) {
      kindChanges[kind.ordinal] = revision
    }
    for (controller, revision) in try container.decode([Controller: Int].self, forKey: .settled) {
      settled[controller.ordinal] = revision
    }
    if let ownership = try container.decodeIfPresent([String: Int].self, forKey: .ownershipChanges) {
      ownershipChanges = ownership
      ownershipChanged = ownership.values.max() ?? 0
    } else {
      // An archive from before ownership was watched: the garbage collector looks everywhere once.
      for controller in Controller.allCases where controller.watchesOwnership { settled[controller.ordinal] = nil }
    }
    podsSettled = try container.decodeIfPresent(Int.self, forKey: .podsSettled)
  }

  /// Writes the revisions by kind and by controller, leaving out the kinds that never changed and the
  /// controllers that are not settled.
  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(namespaceChanges, forKey: .namespaceChanges)
    let kinds = ResourceKind.allCases.filter { kindChanges[$0.ordinal] != 0 }.map { ($0, kindChanges[$0.ordinal]) }
    try container.encode(Dictionary(uniqueKeysWithValues: kinds), forKey: .kindChanges)
    try container.encode(ownershipChanges, forKey: .ownershipChanges)
    let controllers = Controller.allCases.compactMap { controller in settled[controller.ordinal].map { (controller, $0) } }
    try container.encode(Dictionary(uniqueKeysWithValues: controllers), forKey: .settled)
    try container.encodeIfPresent(podsSettled, forKey: .podsSettled)
  }

  /// Notes that the object under `key` changed, taking the store's revision `revision`.
  mutating func recordChange(of key: ObjectKey, at revision: Int) {
    namespaceChanges[key.kind, default: [:]][key.namespace] = revision
    kindChanges[key.kind.ordinal] = revision
  }

  /// Notes that ownership changed in `namespace`, taking the store's revision `revision`.
  mutating func recordOwnershipChange(in namespace: String, at revision: Int) {
    ownershipChanges[namespace] = revision
    ownershipChanged = revision
  }

  /// Whether `controller` last ran to the end of its work and nothing it watches changed since it began.
  func isSettled(_ controller: Controller) -> Bool {
    guard !runsEverything, let start = settled[controller.ordinal] else { return false }
    if controller.watchesOwnership && ownershipChanged > start { return false }
    return controller.kinds.allSatisfy { kindChanges[$0.ordinal] <= start }
  }

  /// The namespaces in which an object `controller` watches changed since it began its last run that left
  /// no work behind, which are all it needs to look at; nil when it must look everywhere.
  func changedNamespaces(for controller: Controller) -> Set<String>? {
    guard !runsEverything, let start = settled[controller.ordinal] else { return nil }
    var namespaces = Set<String>()
    if controller.watchesOwnership {
      for (namespace, revision) in ownershipChanges where revision > start { namespaces.insert(namespace) }
    }
    for kind in controller.kinds {
      for (namespace, revision) in namespaceChanges[kind] ?? [:] where revision > start { namespaces.insert(namespace) }
    }
    return namespaces
  }

  /// Notes a run of `controller` that began at revision `start`; one that left work behind (a request
  /// refused by its rate limiter, an object it could not create) must run again.
  mutating func recordRun(of controller: Controller, from start: Int, settled isSettled: Bool) {
    settled[controller.ordinal] = isSettled ? start : nil
  }

  /// Whether syncing `pod`, whose containers are in `phase`, at `now` would change nothing: its kubelet
  /// synced it as it stands, in that phase, and no timer of the phase is due (`PodRuntime.Phase.isIdle`).
  func kubeletIsIdle(for pod: Pod, in phase: PodRuntime.Phase, at now: SimTime) -> Bool {
    guard !runsEverything, let uid = pod.metadata.uid, let synced = syncedPods[uid],
      synced.resourceVersion == pod.metadata.resourceVersion,
      synced.phase == phase
    else { return false }
    return phase.isIdle(at: now)
  }

  /// Whether the scheduler and the kubelets found nothing to do on their last pass and no pod changed
  /// since it began. Containers change phase only on such a pass or with a write of their pod, so the next
  /// pass would find nothing either, unless a timer of some pod's phase is due.
  var podsAreSettled: Bool {
    guard !runsEverything, let start = podsSettled else { return false }
    return (namespaceChanges[.pod] ?? [:]).values.allSatisfy { $0 <= start }
  }

  /// Notes a pass of the scheduler and the kubelets that began at revision `start`, and whether it found
  /// nothing to do.
  mutating func recordPodsPass(from start: Int, settled: Bool) {
    podsSettled = settled ? start : nil
  }

  /// Notes that the kubelet synced the pod `uid`, leaving it at `resourceVersion` with its containers in `phase`.
  mutating func recordSync(ofPod uid: String, resourceVersion: String?, phase: PodRuntime.Phase) {
    syncedPods[uid] = (resourceVersion, phase)
  }

  /// Whether syncing the Deployment `uid`, which with its ReplicaSets stands at `versions`, would change
  /// nothing: the controller last synced it as it stands and had nothing to do. Its rollout reads the
  /// clock only to date a condition that changes, which takes a change of those objects.
  func deploymentIsQuiet(_ uid: String, at versions: [String?]) -> Bool {
    !runsEverything && quietDeployments[uid] == versions
  }

  /// Notes that the deployment controller synced the Deployment `uid` at `versions` and had nothing to do,
  /// or, when `versions` is nil, that it did something.
  mutating func recordDeploymentSync(_ uid: String, quietAt versions: [String?]?) {
    quietDeployments[uid] = versions
  }

  /// Forgets the Deployment `uid`, which is gone.
  mutating func forgetDeployment(_ uid: String) {
    quietDeployments[uid] = nil
  }

  /// Forgets the pod `uid`, which is gone.
  mutating func forgetPod(_ uid: String) {
    syncedPods[uid] = nil
  }
}

extension ControllerWatches: Equatable {
  /// True: watches hold no state of the cluster.
  static func == (lhs: ControllerWatches, rhs: ControllerWatches) -> Bool { true }
}
