import Foundation

extension Cluster {
  /// The most bytes of annotations, keys and values together, an object may carry.
  static let annotationLimit = 256 * 1024
  /// The most bytes of data a ConfigMap or Secret may hold (`MaxSecretSize`).
  static let configDataLimit = 1024 * 1024
  /// The largest object etcd stores (its `--max-request-bytes`).
  static let storageLimit = 1024 * 1024 * 3 / 2

  /// Refuses an object larger than etcd stores, as etcd does once validation has passed.
  ///
  /// Encoding is exact but costly, and most objects are far below the limit: only an object whose
  /// `JSONSizeBound` passes it is encoded. The bound of an object equal to a recent one is not worked out
  /// again: a sweep replays the learner's manifests under many seeds, and most come out of admission alike.
  static func checkStorageSize(_ object: APIObject) throws(ClusterError) {
    guard recentSizeBounds.result(for: object, { JSONSizeBound.of(object.encodable) }) > storageLimit,
      let size = try? JSONEncoder().encode(object.encodable).count, size > storageLimit
    else { return }
    throw .requestTooLargeForStorage
  }

  /// The size bounds of the objects checked last.
  private static let recentSizeBounds = RecentComparedResults<APIObject, Int>(capacity: 32)

  /// Runs the API server's checks on a write: namespace, name, per-kind validation and defaults.
  mutating func admit(_ object: inout APIObject, existing: APIObject?) throws(ClusterError) {
    let kind = object.kind
    if kind.isNamespaced {
      let namespace = object.metadata.namespace ?? ""
      if namespace.isEmpty { throw .badRequest("an empty namespace may not be set during creation") }
      guard let home = store.namespace(namespace) else { throw .notFound(.namespace, name: namespace) }
      if existing == nil, home.metadata.deletionTimestamp != nil {
        throw .forbidden(
          kind, name: object.metadata.name,
          message: "unable to create new content in namespace \(namespace) because it is being terminated")
      }
    } else {
      object.metadata.namespace = nil
    }
    let name = object.metadata.name
    if name.isEmpty {
      throw .invalid(kind, name: name, causes: ["metadata.name: Required value: name or generateName is required"])
    }
    if let problem = Self.nameProblem(name, for: kind) {
      throw .invalid(kind, name: name, causes: ["metadata.name: Invalid value: \"\(name)\": \(problem)"])
    }
    let annotationBytes = (object.metadata.annotations ?? [:]).reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
    if annotationBytes > Self.annotationLimit {
      throw .invalid(kind, name: name, causes: ["metadata.annotations: Too long: must have at most \(Self.annotationLimit) bytes"])
    }
    if existing == nil && kind.hasGeneration { object.metadata.generation = 1 }
    switch object {
    case .namespace(var namespace):
      Self.admit(&namespace)
      object = .namespace(namespace)
    case .configMap(let configMap):
      try Self.admit(configMap)
    case .endpoints, .event, .ingressConfig, .serviceAccount:
      break
    case .route(var route):
      try admit(&route)
      object = .route(route)
    case .serviceMeshControlPlane, .serviceMeshMemberRoll, .virtualService, .destinationRule, .gateway, .peerAuthentication:
      try admitMesh(&object)
    case .secret(var secret):
      try Self.admit(&secret)
      object = .secret(secret)
    case .pod(var pod):
      try admit(&pod, creating: existing == nil)
      object = .pod(pod)
    case .deployment(var deployment):
      try Self.admit(&deployment)
      object = .deployment(deployment)
    case .replicaSet(var replicaSet):
      try Self.admit(&replicaSet)
      object = .replicaSet(replicaSet)
    case .service(var service):
      try admit(&service, existing: existing)
      object = .service(service)
    }
  }

  /// Why `name` is not a valid name for `kind`, in the API server's words; `nil` when it is valid.
  static func nameProblem(_ name: String, for kind: ResourceKind) -> String? {
    switch kind {
    case .namespace:
      let ok = name.utf8.count <= 63 && isLabel(name.utf8)
      return ok ? nil : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    case .service:
      let ok = name.utf8.count <= 63 && isLabel(name.utf8) && name.utf8.first.map(ASCIIName.isLowerLetter) == true
      return ok ? nil : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    default:
      return isDNS1123Subdomain(name) ? nil : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    }
  }

  /// Whether `name` is a lowercase RFC 1123 subdomain, as Kubernetes validates most names and Route hosts:
  /// at most 253 characters, dot-separated labels of `a-z`, `0-9` and `-` that start and end alphanumeric.
  public static func isDNS1123Subdomain(_ name: String) -> Bool {
    name.utf8.count <= 253 && name.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy(isLabel)
  }

  /// Whether `bytes` are an RFC 1123 label of any length: `a-z`, `0-9` and `-`, starting and ending alphanumeric.
  private static func isLabel(_ bytes: some BidirectionalCollection<UInt8>) -> Bool {
    ASCIIName.matches(bytes, ends: ASCIIName.isLowerAlphanumeric) { $0 == UInt8(ascii: "-") }
  }

  /// A label map printed the way Go's `%#v` prints `map[string]string`.
  static func goMap(_ labels: [String: String]) -> String {
    "map[string]string{" + labels.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ", ") + "}"
  }

  /// A free address in the service network 172.30.0.0/16.
  mutating func allocateClusterIP() -> String {
    while true {
      let third = random.names.integer(in: 0...255)
      let fourth = random.names.integer(in: 1...254)
      let ip = "172.30.\(third).\(fourth)"
      if allocatedClusterIPs.insert(ip).inserted { return ip }
    }
  }
}
