/// When each kind of object last changed, and what each controller had seen when it last ran: as an
/// informer lets a real controller sleep until an object it watches changes, a controller none of whose
/// kinds changed since a run that left it no work is not run again.
///
/// It caches the controllers' own work and holds no state of the cluster: two clusters are equal whatever
/// their watches hold, and an archive leaves them out, so a cluster made from one runs every controller once.
struct ControllerWatches: Sendable {
  /// The controllers whose work depends only on the objects they watch, not on the clock or on the
  /// kubelets' view of their pods.
  enum Controller: CaseIterable {
    case garbageCollector, caBundles, memberRoll, deployments, replicaSets, endpoints

    /// The kinds whose objects the controller reads.
    var kinds: [ResourceKind] {
      switch self {
      case .garbageCollector: [.deployment, .replicaSet, .pod]
      case .caBundles: [.namespace, .configMap]
      case .memberRoll: [.serviceMeshMemberRoll, .namespace]
      case .deployments: [.deployment, .replicaSet]
      case .replicaSets: [.replicaSet, .pod]
      case .endpoints: [.service, .pod, .endpoints]
      }
    }
  }

  /// The store's revision at the last change to an object of each kind.
  private var changes: [ResourceKind: Int] = [:]
  /// The store's revision when each controller began its last run that left no work behind.
  private var settled: [Controller: Int] = [:]

  /// Notes that an object of `kind` changed, taking the store's revision `revision`.
  mutating func recordChange(of kind: ResourceKind, at revision: Int) {
    changes[kind] = revision
  }

  /// Whether `controller` last ran to the end of its work and nothing it watches changed since it began.
  func isSettled(_ controller: Controller) -> Bool {
    guard let start = settled[controller] else { return false }
    return controller.kinds.allSatisfy { (changes[$0] ?? .min) <= start }
  }

  /// Notes a run of `controller` that began at revision `start`; one that left work behind (a request
  /// refused by its rate limiter, an object it could not create) must run again.
  mutating func recordRun(of controller: Controller, from start: Int, settled isSettled: Bool) {
    settled[controller] = isSettled ? start : nil
  }
}

extension ControllerWatches: Equatable {
  /// True: watches hold no state of the cluster.
  static func == (lhs: ControllerWatches, rhs: ControllerWatches) -> Bool { true }
}
