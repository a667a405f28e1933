/// The whole modelled cluster: API objects, nodes, pod runtimes, network state and telemetry.
///
/// A `Cluster` is a value: every command is a transition from one value to the next, so a copy is a
/// snapshot. It never reads the wall clock or a global random source; time moves only through
/// `advance(by:)` and requests, and every random choice draws from the seeded generator.
///
/// `archived()` keeps a cluster whole, and `init(archived:)` makes an equal one; the `Codable` conformance
/// serves that archive and only it, which keeps some texts apart from the JSON, packs telemetry after it
/// and keeps object timestamps to the nanosecond.
///
///     var cluster = Cluster(seed: 42)
///     try cluster.createProject("grpc")
///     cluster.advance(by: .seconds(5))
public struct Cluster: Equatable, Sendable, Codable {
  /// The API server URL that `oc` reports.
  public static let apiServerURL = "https://api.cluster.example.com:6443"
  /// The user the learner is logged in as.
  public static let user = "kube:admin"
  /// When the cluster was installed: platform pods date from here.
  public static let installTime = CivilTime.time(year: 2023, month: 5, day: 16, hour: 9, minute: 12, second: 40)
  /// When the lab starts.
  public static let labStartTime = CivilTime.time(year: 2023, month: 5, day: 19, hour: 15, minute: 21, second: 7)

  /// The current simulated time.
  public internal(set) var now: SimTime
  /// Every stored API object.
  public var store: ObjectStore { api.store }
  /// Logs, connections and calls observed so far.
  public internal(set) var telemetry: Telemetry {
    _read { yield observed.telemetry }
    set { observed = ArchivedTelemetry(newValue) }
    _modify { yield &observed.telemetry }
  }
  /// The telemetry, kept packed while unread in a cluster made from an archive.
  var observed = ArchivedTelemetry(Telemetry())
  /// The seeded sources of the model's random choices, one per subsystem.
  var random: RandomStreams

  /// Counts the changes to stored objects and observed telemetry: a command that leaves it as it was
  /// changed neither.
  public var revision: Int { lastResourceVersion &+ observed.revision }

  /// The stored objects and their revisions.
  var api = APIServer()
  /// The store's latest revision: every write and every deletion increments it.
  var lastResourceVersion: Int { api.lastResourceVersion }
  var nodes: [Node] = Node.all
  /// Runtime state of each pod, by pod UID.
  var runtimes = PodRuntimes()
  var allocatedClusterIPs: Set<String> = []
  /// The replicaset-controller's API client: kube-controller-manager's `--kube-api-qps` and
  /// `--kube-api-burst`, as OpenShift sets them.
  var replicaSetClient = ClientRateLimiter(qps: 150, burst: 300)
  /// What the controllers' and kubelets' event recorders remember of the events they reported.
  var eventCorrelator = DeferredJSON<EventCorrelator>()
  /// The resource version of each Gateway IOR last handled, by `namespace/name`: a new version is an event.
  var iorHandled: [String: String] = [:]
  /// The gateway secret problems istiod last logged, so that each is logged once while it lasts.
  var gatewaySecretWarnings: Set<String> = []

  /// Creates an installed OpenShift cluster with OpenShift Service Mesh; the lab starts at `start`, and
  /// the cluster was installed as long before it as the article's cluster was.
  ///
  /// - Parameters:
  ///   - seed: Fixes every random choice the lab makes: names, addresses, timings and balancing decisions.
  ///     The platform was installed before any lab, with choices of its own, the same for every seed.
  ///   - start: When the lab starts: the article's date unless the learner's own clock is given.
  public init(seed: UInt64, start: SimTime = Cluster.labStartTime) {
    self = Self.installedPlatforms.result(for: start) { Cluster(installingBefore: start) }
    random = RandomStreams(seed: seed)
  }

  /// The platforms installed lately, by the start of the lab they serve: each cluster of a sweep over
  /// seeds starts on the same one.
  private static let installedPlatforms = RecentResults<SimTime, Cluster>(capacity: 4)

  /// The platform alone, installed with its own random streams and caught up to `start`.
  private init(installingBefore start: SimTime) {
    random = .platform
    now = start + (Self.installTime - Self.labStartTime)
    installPlatform()
    now = start
    reconcile()
    api.expireEvents(at: now)
  }

  /// Moves the clock forward and lets controllers and kubelets catch up; events whose time to live ran out
  /// are gone before they run, and those they report at earlier times and which ran out, after.
  public mutating func advance(by duration: SimDuration) {
    now = now + duration
    api.expireEvents(at: now)
    reconcile()
    api.expireEvents(at: now)
  }

  /// Moves the clock forward to `time`, if it is later than now.
  public mutating func advance(to time: SimTime) {
    guard time > now else { return }
    advance(by: time - now)
  }

  /// The object stored under `key`.
  ///
  /// - Throws: `ClusterError.notFound`.
  public func get(_ key: ObjectKey) throws(ClusterError) -> APIObject {
    guard let object = store[key] else { throw .notFound(key.kind, name: key.name) }
    return object
  }

  /// Creates `object`, as `POST` to the API server does: validation, defaults, then controllers run.
  ///
  /// - Returns: The stored object, with server-set fields.
  /// - Throws: `ClusterError` when the namespace is missing, the name is taken or validation fails.
  @discardableResult
  public mutating func create(_ object: APIObject) throws(ClusterError) -> APIObject {
    let stored = try insert(object, checkingSize: true)
    reconcile()
    return store[stored.key] ?? stored
  }

  /// Admits and stores a new object without running controllers; controllers create through this, so
  /// they never re-enter `reconcile()`.
  ///
  /// - Parameters:
  ///   - checkingSize: Whether to refuse an object larger than etcd stores; a learner's request is
  ///     checked, a controller's small objects are not.
  ///   - uid: The new object's UID; a new random one when nil.
  @discardableResult
  mutating func insert(_ object: APIObject, checkingSize: Bool = false, uid: String? = nil) throws(ClusterError) -> APIObject {
    var object = object
    try admit(&object, existing: nil)
    if checkingSize { try Self.checkStorageSize(object) }
    if store[object.key] != nil {
      throw .alreadyExists(object.kind, name: object.metadata.name)
    }
    object.metadata.uid = uid ?? newUID()
    object.metadata.creationTimestamp = Timestamp(now)
    api.write(&object)
    return object
  }

  /// Replaces the user-owned parts of an existing object (labels, annotations, spec, data), as `PUT` does;
  /// the API server keeps its own fields, a deletion in progress among them.
  ///
  /// - Returns: The stored object.
  /// - Throws: `ClusterError.notFound` or a validation error.
  @discardableResult
  public mutating func update(_ object: APIObject) throws(ClusterError) -> APIObject {
    var object = object
    let existing = try get(object.key)
    try admit(&object, existing: existing)
    try Self.checkStorageSize(object)
    object.metadata.uid = existing.metadata.uid
    object.metadata.creationTimestamp = existing.metadata.creationTimestamp
    object.metadata.deletionTimestamp = existing.metadata.deletionTimestamp
    object.metadata.ownerReferences = object.metadata.ownerReferences ?? existing.metadata.ownerReferences
    object.metadata.generation = existing.metadata.generation
    object.metadata.resourceVersion = existing.metadata.resourceVersion
    object.carryStatus(from: existing)
    guard object != existing else { return existing }
    if object.specDiffers(from: existing), let generation = existing.metadata.generation {
      object.metadata.generation = generation + 1
    }
    api.write(&object)
    reconcile()
    return store[object.key] ?? object
  }

  /// Deletes the object under `key`, and what it owns (foreground garbage collection).
  ///
  /// A pod whose containers started is deleted gracefully, as the kubelet does: it shows `Terminating`
  /// (out of its Service's endpoints, no longer counted by its ReplicaSet) until its containers have
  /// stopped, and is removed then; `terminationEnd(of:)` says when. A namespace turns `Terminating`: the
  /// namespace controller stops its pods and removes everything else in it, and the namespace goes with
  /// its last pod.
  ///
  /// - Returns: The deleted object (as it stands while it terminates).
  /// - Throws: `ClusterError.notFound`.
  @discardableResult
  public mutating func delete(_ key: ObjectKey) throws(ClusterError) -> APIObject {
    let object = try get(key)
    if case .pod(let pod) = object, beginTermination(of: pod) {
      reconcile()
      return store[key] ?? object
    }
    if case .namespace(var namespace) = object {
      if namespace.metadata.deletionTimestamp == nil {
        namespace.metadata.deletionTimestamp = Timestamp(now)
        namespace.status = Namespace.Status(phase: "Terminating")
        write(.namespace(namespace))
      }
      reconcile()
      return store[key] ?? object
    }
    remove(key)
    reconcile()
    return object
  }

  /// Creates a namespace the way OpenShift's project request does.
  ///
  /// - Throws: `ClusterError.projectAlreadyExists` or a validation error.
  public mutating func createProject(_ name: String, displayName: String = "", description: String = "") throws(ClusterError) {
    if store.hasNamespace(name) { throw .projectAlreadyExists(name: name) }
    let meta = ObjectMeta(
      name: name,
      annotations: [
        "openshift.io/description": description,
        "openshift.io/display-name": displayName,
        "openshift.io/requester": Self.user,
      ])
    try create(.namespace(Namespace(metadata: meta)))
  }

  /// Removes one object, its pod runtime and its logs, without running controllers.
  mutating func remove(_ key: ObjectKey) {
    guard let object = api.remove(key) else { return }
    if key.kind == .pod, let uid = object.metadata.uid {
      runtimes[uid] = nil
      telemetry.removeLogs(ofPod: uid)
      if case .pod(let pod) = object, let ip = pod.status?.podIP, let node = nodes.firstIndex(where: { $0.name == pod.spec.nodeName }) {
        nodes[node].releasePodIP(ip)
      }
    }
  }

  /// A random RFC 4122 version-4 UUID string.
  mutating func newUID() -> String {
    let high = random.names.next()
    return Hex.uuid(high: high, low: random.names.next(), version: 4)
  }
}

extension APIObject {
  /// Keeps the server-owned status of `existing` on an update, as the status subresource does: a learner's
  /// manifest cannot set it, and applying the same manifest again changes nothing.
  mutating func carryStatus(from existing: APIObject) {
    switch (self, existing) {
    case (.namespace(var new), .namespace(let old)): new.status = old.status; new.spec = new.spec ?? old.spec; self = .namespace(new)
    case (.pod(var new), .pod(let old)): new.status = old.status; new.spec.nodeName = old.spec.nodeName; self = .pod(new)
    case (.deployment(var new), .deployment(let old)): new.status = old.status; self = .deployment(new)
    case (.replicaSet(var new), .replicaSet(let old)): new.status = old.status; self = .replicaSet(new)
    case (.serviceMeshControlPlane(var new), .serviceMeshControlPlane(let old)): new.status = old.status; self = .serviceMeshControlPlane(new)
    case (.serviceMeshMemberRoll(var new), .serviceMeshMemberRoll(let old)): new.status = old.status; self = .serviceMeshMemberRoll(new)
    case (.route(var new), .route(let old)) where new.spec.host == old.spec.host: new.status = old.status; self = .route(new)
    case (.service(var new), .service(let old)):
      new.status = old.status
      new.spec.clusterIP = old.spec.clusterIP
      new.spec.clusterIPs = old.spec.clusterIPs
      self = .service(new)
    default: break
    }
  }

  /// Whether the spec (the part that bumps `generation`) changed.
  func specDiffers(from other: APIObject) -> Bool {
    switch (self, other) {
    case (.deployment(let a), .deployment(let b)): a.spec != b.spec
    case (.replicaSet(let a), .replicaSet(let b)): a.spec != b.spec
    case (.serviceMeshControlPlane(let a), .serviceMeshControlPlane(let b)): a.spec != b.spec
    case (.serviceMeshMemberRoll(let a), .serviceMeshMemberRoll(let b)): a.spec != b.spec
    case (.virtualService(let a), .virtualService(let b)): a.spec != b.spec
    case (.destinationRule(let a), .destinationRule(let b)): a.spec != b.spec
    case (.gateway(let a), .gateway(let b)): a.spec != b.spec
    case (.peerAuthentication(let a), .peerAuthentication(let b)): a.spec != b.spec
    case (.ingressConfig(let a), .ingressConfig(let b)): a.spec != b.spec
    default: false
    }
  }
}
