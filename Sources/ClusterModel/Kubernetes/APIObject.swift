/// Any object the cluster stores. Each is boxed, so that copying one (a store's list, a controller's loop)
/// costs a reference count rather than a copy of every field.
public indirect enum APIObject: Equatable, Sendable, Codable {
  case namespace(Namespace)
  case configMap(ConfigMap)
  case secret(Secret)
  case serviceAccount(ServiceAccount)
  case pod(Pod)
  case service(Service)
  case endpoints(Endpoints)
  case deployment(Deployment)
  case replicaSet(ReplicaSet)
  case event(Event)
  case route(Route)
  case ingressConfig(IngressConfig)
  case serviceMeshControlPlane(ServiceMeshControlPlane)
  case serviceMeshMemberRoll(ServiceMeshMemberRoll)
  case virtualService(VirtualService)
  case destinationRule(DestinationRule)
  case gateway(Gateway)
  case peerAuthentication(PeerAuthentication)

  /// The object's kind.
  public var kind: ResourceKind {
    switch self {
    case .namespace: .namespace
    case .configMap: .configMap
    case .secret: .secret
    case .serviceAccount: .serviceAccount
    case .pod: .pod
    case .service: .service
    case .endpoints: .endpoints
    case .deployment: .deployment
    case .replicaSet: .replicaSet
    case .event: .event
    case .route: .route
    case .ingressConfig: .ingressConfig
    case .serviceMeshControlPlane: .serviceMeshControlPlane
    case .serviceMeshMemberRoll: .serviceMeshMemberRoll
    case .virtualService: .virtualService
    case .destinationRule: .destinationRule
    case .gateway: .gateway
    case .peerAuthentication: .peerAuthentication
    }
  }

  /// The object's metadata.
  public var metadata: ObjectMeta {
    get {
      switch self {
      case .namespace(let o): o.metadata
      case .configMap(let o): o.metadata
      case .secret(let o): o.metadata
      case .serviceAccount(let o): o.metadata
      case .pod(let o): o.metadata
      case .service(let o): o.metadata
      case .endpoints(let o): o.metadata
      case .deployment(let o): o.metadata
      case .replicaSet(let o): o.metadata
      case .event(let o): o.metadata
      case .route(let o): o.metadata
      case .ingressConfig(let o): o.metadata
      case .serviceMeshControlPlane(let o): o.metadata
      case .serviceMeshMemberRoll(let o): o.metadata
      case .virtualService(let o): o.metadata
      case .destinationRule(let o): o.metadata
      case .gateway(let o): o.metadata
      case .peerAuthentication(let o): o.metadata
      }
    }
    // The payload is taken out, leaving a placeholder, so that its metadata changes in place rather than
    // in a copy that shares every field with the stored one.
    _modify {
      switch self {
      case .namespace(var o):
        self = Self.placeholder
        defer { self = .namespace(o) }
        yield &o.metadata
      case .configMap(var o):
        self = Self.placeholder
        defer { self = .configMap(o) }
        yield &o.metadata
      case .secret(var o):
        self = Self.placeholder
        defer { self = .secret(o) }
        yield &o.metadata
      case .serviceAccount(var o):
        self = Self.placeholder
        defer { self = .serviceAccount(o) }
        yield &o.metadata
      case .pod(var o):
        self = Self.placeholder
        defer { self = .pod(o) }
        yield &o.metadata
      case .service(var o):
        self = Self.placeholder
        defer { self = .service(o) }
        yield &o.metadata
      case .endpoints(var o):
        self = Self.placeholder
        defer { self = .endpoints(o) }
        yield &o.metadata
      case .deployment(var o):
        self = Self.placeholder
        defer { self = .deployment(o) }
        yield &o.metadata
      case .replicaSet(var o):
        self = Self.placeholder
        defer { self = .replicaSet(o) }
        yield &o.metadata
      case .event(var o):
        self = Self.placeholder
        defer { self = .event(o) }
        yield &o.metadata
      case .route(var o):
        self = Self.placeholder
        defer { self = .route(o) }
        yield &o.metadata
      case .ingressConfig(var o):
        self = Self.placeholder
        defer { self = .ingressConfig(o) }
        yield &o.metadata
      case .serviceMeshControlPlane(var o):
        self = Self.placeholder
        defer { self = .serviceMeshControlPlane(o) }
        yield &o.metadata
      case .serviceMeshMemberRoll(var o):
        self = Self.placeholder
        defer { self = .serviceMeshMemberRoll(o) }
        yield &o.metadata
      case .virtualService(var o):
        self = Self.placeholder
        defer { self = .virtualService(o) }
        yield &o.metadata
      case .destinationRule(var o):
        self = Self.placeholder
        defer { self = .destinationRule(o) }
        yield &o.metadata
      case .gateway(var o):
        self = Self.placeholder
        defer { self = .gateway(o) }
        yield &o.metadata
      case .peerAuthentication(var o):
        self = Self.placeholder
        defer { self = .peerAuthentication(o) }
        yield &o.metadata
      }
    }
  }

  /// What an object holds while its metadata is being changed in place.
  private static let placeholder = APIObject.namespace(Namespace(metadata: ObjectMeta()))

  /// The key the store files this object under.
  public var key: ObjectKey {
    let metadata = metadata
    return ObjectKey(kind: kind, namespace: metadata.namespace ?? "", name: metadata.name)
  }

  /// The wrapped value, for encoding.
  public var encodable: any Encodable & Sendable {
    switch self {
    case .namespace(let o): o
    case .configMap(let o): o
    case .secret(let o): o
    case .serviceAccount(let o): o
    case .pod(let o): o
    case .service(let o): o
    case .endpoints(let o): o
    case .deployment(let o): o
    case .replicaSet(let o): o
    case .event(let o): o
    case .route(let o): o
    case .ingressConfig(let o): o
    case .serviceMeshControlPlane(let o): o
    case .serviceMeshMemberRoll(let o): o
    case .virtualService(let o): o
    case .destinationRule(let o): o
    case .gateway(let o): o
    case .peerAuthentication(let o): o
    }
  }
}

/// Identifies one stored object.
public struct ObjectKey: Hashable, Sendable, Comparable, Codable {
  public var kind: ResourceKind
  /// The namespace, or empty for cluster-scoped kinds.
  public var namespace: String
  public var name: String

  public init(kind: ResourceKind, namespace: String, name: String) {
    self.kind = kind
    self.namespace = kind.isNamespaced ? namespace : ""
    self.name = name
  }

  public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
    (lhs.kind, lhs.namespace, lhs.name) < (rhs.kind, rhs.namespace, rhs.name)
  }
}

/// A pod named by namespace and name.
public struct PodRef: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
  public var namespace: String
  public var name: String

  public init(namespace: String, name: String) {
    self.namespace = namespace
    self.name = name
  }

  public static func < (lhs: PodRef, rhs: PodRef) -> Bool { (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name) }

  public var description: String { "\(namespace)/\(name)" }
}
