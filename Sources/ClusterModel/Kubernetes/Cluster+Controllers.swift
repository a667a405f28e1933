extension Cluster {
  /// Runs the controllers, the scheduler and the kubelets until nothing changes.
  mutating func reconcile() {
    for _ in 0..<16 {
      let before = lastResourceVersion
      run(.garbageCollector) { cluster, namespaces in
        cluster.collectGarbage(in: namespaces)
        return true
      }
      finishTerminations()
      syncTerminatingNamespaces()
      run(.memberRoll) { cluster, _ in
        cluster.syncMemberRoll()
        return true
      }
      run(.caBundles) { cluster, _ in cluster.publishCABundles() }
      run(.gatewayRoutes) { cluster, _ in
        cluster.syncGatewayRoutes()
        return true
      }
      run(.gatewaySecrets) { cluster, _ in
        cluster.reportGatewaySecrets()
        return true
      }
      run(.deployments) { $0.syncDeployments(in: $1) }
      run(.replicaSets) { $0.syncReplicaSets(in: $1) }
      syncPods()
      run(.endpoints) { $0.syncEndpoints(in: $1) }
      if lastResourceVersion == before { return }
    }
    assertionFailure("controllers did not reach quiescence")
  }

  /// Runs `controller` through `sync`, which says whether it finished its work, unless it is settled; `sync`
  /// is given the namespaces where what it watches changed (nil: every namespace).
  private mutating func run(_ controller: ControllerWatches.Controller, _ sync: (inout Cluster, Set<String>?) -> Bool) {
    guard !api.watches.isSettled(controller) else { return }
    let start = lastResourceVersion
    let settled = sync(&self, api.watches.changedNamespaces(for: controller))
    api.watches.recordRun(of: controller, from: start, settled: settled)
  }

  /// Namespace controller: a terminating namespace's pods stop gracefully and everything else in it goes;
  /// the namespace goes once its last pod has.
  mutating func syncTerminatingNamespaces() {
    var terminating: [Namespace] = []
    store.forEach(.namespace) { object in
      if case .namespace(let namespace) = object, namespace.metadata.deletionTimestamp != nil { terminating.append(namespace) }
    }
    for namespace in terminating.sorted(by: { $0.metadata.name < $1.metadata.name }) {
      let name = namespace.metadata.name
      for pod in store.pods(in: name) where !beginTermination(of: pod) { remove(APIObject.pod(pod).key) }
      for kind in ResourceKind.allCases where kind.isNamespaced && kind != .pod {
        for child in store.list(kind, namespace: name) { remove(child.key) }
      }
      if store.pods(in: name).isEmpty { remove(APIObject.namespace(namespace).key) }
    }
  }

  /// Deletes ReplicaSets, and Pods not already stopping, whose controlling Deployment or ReplicaSet is gone,
  /// in `namespaces` (nil: everywhere). An owner in another namespace counts as gone: owner references do
  /// not cross namespaces, so an object can only lose its owner where something changed.
  mutating func collectGarbage(in namespaces: Set<String>?) {
    var owners = Set<OwnerKey>()
    for kind in [ResourceKind.deployment, .replicaSet] {
      store.forEach(kind, in: namespaces) {
        if let uid = $0.metadata.uid { owners.insert(OwnerKey(namespace: $0.metadata.namespace ?? "", uid: uid)) }
      }
    }
    func orphaned(_ meta: ObjectMeta) -> Bool {
      guard let owner = meta.ownerReferences?.first(where: { $0.controller == true }) else { return false }
      return !owners.contains(OwnerKey(namespace: meta.namespace ?? "", uid: owner.uid))
    }
    for set in store.list(.replicaSet, in: namespaces) where orphaned(set.metadata) { remove(set.key) }
    var pods: [ObjectKey] = []
    store.forEachPod(in: namespaces) { pod in
      if orphaned(pod.metadata) && pod.metadata.deletionTimestamp == nil { pods.append(APIObject.pod(pod).key) }
    }
    for key in pods.sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }) { remove(key) }
  }

  /// Deployment controller: one ReplicaSet per pod template, numbered by revision (a template that comes
  /// back takes the next number), which takes the Deployment's annotations on every sync; old ones scale
  /// down once the new one is ready.
  ///
  /// - Parameter namespaces: Where to look; nil for every namespace.
  /// - Returns: Whether every Deployment has its current ReplicaSet: one that could not be created is
  ///   tried again.
  mutating func syncDeployments(in namespaces: Set<String>?) -> Bool {
    var settled = true
    for case .deployment(let deployment) in store.list(.deployment, in: namespaces) {
      let owned = ownedReplicaSets(of: deployment)
      let uid = deployment.metadata.uid ?? ""
      let versions = [deployment.metadata.resourceVersion] + owned.map(\.metadata.resourceVersion)
      if api.watches.deploymentIsQuiet(uid, at: versions) { continue }
      var current = owned.first { $0.hasTemplate(of: deployment) }
      let created = current == nil
      if current == nil {
        let set = DeploymentController.newReplicaSet(
          for: deployment, revision: DeploymentController.revisions(of: owned).next,
          owner: controllerReference(to: .deployment(deployment)))
        current = try? insert(.replicaSet(set)).replicaSet
        let desired = deployment.spec.replicas ?? 1
        if current != nil && desired > 0 {
          recordEvent(
            "ScalingReplicaSet", "Scaled up replica set \(set.metadata.name) to \(desired)", about: .deployment(deployment),
            from: "deployment-controller")
        }
      }
      guard let current else {
        settled = false
        continue
      }
      let steps = DeploymentController.rollout(of: deployment, current: current, owned: owned, at: now)
      for step in steps {
        switch step {
        case .write(let object): write(object)
        case .event(let reason, let message):
          recordEvent(reason, message, about: .deployment(deployment), from: "deployment-controller")
        }
      }
      api.watches.recordDeploymentSync(uid, quietAt: created || !steps.isEmpty ? nil : versions)
    }
    return settled
  }

  /// ReplicaSet controller: creates or deletes pods until the count matches, no faster than its API
  /// client's rate limit lets it.
  ///
  /// - Parameter namespaces: Where to look; nil for every namespace.
  /// - Returns: Whether every ReplicaSet has its count of pods: one its rate limiter held back, or whose
  ///   pod could not be created, is tried again.
  mutating func syncReplicaSets(in namespaces: Set<String>?) -> Bool {
    var refused = false
    var settled = true
    defer { if !refused { replicaSetClient.rest() } }
    let active = activePodCounts(in: namespaces)
    for case .replicaSet(var set) in store.list(.replicaSet, in: namespaces) {
      let namespace = set.metadata.namespace ?? ""
      let uid = set.metadata.uid
      let key = OwnerKey(namespace: namespace, uid: uid ?? "")
      func owned(_ pod: Pod) -> Bool {
        pod.metadata.ownerReferences?.contains { $0.uid == uid } == true && pod.metadata.deletionTimestamp == nil
      }
      var changed = false
      switch ReplicaSetController.scale(set, active: active[key]?.pods ?? 0, pods: { store.pods(in: namespace, where: owned) }) {
      case .create(let missing)?:
        for _ in 0..<missing {
          guard replicaSetClient.take(at: now) else {
            refused = true
            break
          }
          guard let pod = createPod(of: set) else {
            settled = false
            break
          }
          recordEvent("SuccessfulCreate", "Created pod: \(pod.metadata.name)", about: .replicaSet(set), from: "replicaset-controller")
          changed = true
        }
      case .delete(let names)?:
        for name in names {
          guard replicaSetClient.take(at: now) else {
            refused = true
            break
          }
          remove(ObjectKey(kind: .pod, namespace: namespace, name: name))
          recordEvent("SuccessfulDelete", "Deleted pod: \(name)", about: .replicaSet(set), from: "replicaset-controller")
          changed = true
        }
      case nil:
        break
      }
      let status = changed
        ? ReplicaSetController.status(
          of: set, pods: store.countPods(in: namespace, where: owned), ready: store.countPods(in: namespace) { owned($0) && $0.isReady })
        : ReplicaSetController.status(of: set, pods: active[key]?.pods ?? 0, ready: active[key]?.ready ?? 0)
      if set.status != status {
        set.status = status
        write(.replicaSet(set))
      }
    }
    return settled && !refused
  }

  /// Creates a pod from the template of `set`, under a name the set's own and five random characters that
  /// no pod in its namespace has.
  ///
  /// - Returns: The stored pod; nil when admission refused it.
  private mutating func createPod(of set: ReplicaSet) -> Pod? {
    let namespace = set.metadata.namespace ?? ""
    var meta = set.spec.template.metadata ?? ObjectMeta()
    meta.generateName = "\(set.metadata.name)-"
    meta.namespace = namespace
    meta.ownerReferences = [controllerReference(to: .replicaSet(set))]
    var pod = Pod(metadata: meta, spec: set.spec.template.spec)
    repeat {
      meta.name = "\(set.metadata.name)-\(randomSuffix())"
    } while store[ObjectKey(kind: .pod, namespace: namespace, name: meta.name)] != nil
    pod.metadata.name = meta.name
    guard let created = try? insert(.pod(pod)), case .pod(let stored) = created else { return nil }
    return stored
  }

  /// An owner as its dependents name it: a dependent's owner is in the dependent's own namespace.
  private struct OwnerKey: Hashable {
    var namespace: String
    var uid: String
  }

  /// The pods in `namespaces` (nil: everywhere) that are not terminating, and the ready ones among them,
  /// by their owners.
  private func activePodCounts(in namespaces: Set<String>?) -> [OwnerKey: (pods: Int, ready: Int)] {
    var counts: [OwnerKey: (pods: Int, ready: Int)] = [:]
    store.forEachPod(in: namespaces) { pod in
      guard pod.metadata.deletionTimestamp == nil else { return }
      let ready = pod.isReady
      for owner in pod.metadata.ownerReferences ?? [] {
        let key = OwnerKey(namespace: pod.metadata.namespace ?? "", uid: owner.uid)
        counts[key, default: (0, 0)].pods += 1
        if ready { counts[key, default: (0, 0)].ready += 1 }
      }
    }
    return counts
  }

  /// Endpoints controller: one Endpoints object per selector Service, with ready and not-ready pod addresses.
  ///
  /// - Parameter namespaces: Where to look; nil for every namespace.
  /// - Returns: Whether every selector Service has its Endpoints: one that could not be created is tried again.
  mutating func syncEndpoints(in namespaces: Set<String>?) -> Bool {
    var settled = true
    for case .service(let service) in store.list(.service, in: namespaces) {
      guard let selector = service.spec.selector, !selector.isEmpty else { continue }
      let namespace = service.metadata.namespace ?? ""
      let subsets = EndpointsController.subsets(of: service, selector: selector, in: store)
      let key = ObjectKey(kind: .endpoints, namespace: namespace, name: service.metadata.name)
      if case .endpoints(var existing) = store[key] {
        if existing.subsets != subsets || existing.metadata.labels != service.metadata.labels {
          existing.subsets = subsets
          existing.metadata.labels = service.metadata.labels
          write(.endpoints(existing))
        }
      } else {
        let meta = ObjectMeta(name: service.metadata.name, namespace: namespace, labels: service.metadata.labels)
        if (try? insert(.endpoints(Endpoints(metadata: meta, subsets: subsets)))) == nil { settled = false }
      }
    }
    for case .endpoints(let endpoints) in store.list(.endpoints, in: namespaces)
    where store.service(endpoints.metadata.name, in: endpoints.metadata.namespace ?? "") == nil {
      remove(ObjectKey(kind: .endpoints, namespace: endpoints.metadata.namespace ?? "", name: endpoints.metadata.name))
    }
    return settled
  }

  /// Stores a changed object under a new resource version, without running controllers.
  ///
  /// - Returns: The stored object, with its new resource version.
  @discardableResult
  mutating func write(_ object: APIObject) -> APIObject {
    var object = object
    api.write(&object)
    return object
  }

  /// Stores the object `versioned` makes once given a new resource version, without running controllers
  /// (`APIServer.write(_:)`).
  ///
  /// - Returns: The stored object.
  @discardableResult
  mutating func write(_ versioned: (_ resourceVersion: String) -> APIObject) -> APIObject {
    api.write(versioned)
  }

  /// The ReplicaSets a Deployment controls, in name order.
  ///
  /// The current one is the one whose template `hasTemplate(of:)` the Deployment.
  public func ownedReplicaSets(of deployment: Deployment) -> [ReplicaSet] {
    let uid = deployment.metadata.uid
    return store.list(.replicaSet, namespace: deployment.metadata.namespace) { object in
      object.metadata.ownerReferences?.contains { $0.uid == uid } == true
    }.compactMap { if case .replicaSet(let set) = $0 { set } else { nil } }
  }

  func controllerReference(to owner: APIObject) -> OwnerReference {
    OwnerReference(
      apiVersion: owner.kind.apiVersion, kind: owner.kind.rawValue, name: owner.metadata.name,
      uid: owner.metadata.uid ?? "", controller: true, blockOwnerDeletion: true)
  }

  /// Five characters from the alphabet Kubernetes uses for generated names.
  mutating func randomSuffix() -> String {
    Self.randomSuffix(using: &random.names)
  }

  /// Five characters of Kubernetes' name alphabet, which has no vowels and no look-alike digits.
  static func randomSuffix(using generator: inout SplitMix64) -> String {
    String(unsafeUninitializedCapacity: 5) { buffer in
      for index in 0..<5 { buffer[index] = nameAlphabet[generator.integer(in: 0..<nameAlphabet.count)] }
      return 5
    }
  }

  /// Kubernetes' alphabet for generated names, as ASCII bytes.
  private static let nameAlphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)

  /// FNV-1a (64-bit) of `text`'s bytes: a seed of its own for what must not draw from the cluster's stream.
  static func fnv1a(_ text: String) -> UInt64 {
    text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
  }
}

extension APIObject {
  /// The ReplicaSet this wraps, if it is one.
  var replicaSet: ReplicaSet? {
    if case .replicaSet(let set) = self { set } else { nil }
  }
}
