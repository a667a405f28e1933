/// The API server's storage: every object by key, listed in key order as etcd returns them.
///
/// Objects are filed by kind, then namespace, then name, so listing one kind in one namespace touches
/// only those objects. In a cluster made from a snapshot, each kind's objects, and each namespace's pods,
/// stay as their archived JSON until first used: a command that reads Deployments beside 100 000 pods, on
/// a cluster whose controllers and kubelets have settled, decodes neither the pods, nor the Endpoints that
/// list them, nor the events, and one that reads the pods of another namespace decodes only those.
public struct ObjectStore: Equatable, Sendable, Codable {
  /// Namespace (empty for cluster-scoped kinds) → name → object.
  typealias Table = [String: [String: APIObject]]

  /// Kind → table, for every kind but pods and events. Empty tables are removed, so two stores holding
  /// the same objects are equal.
  private var tables: [ResourceKind: DeferredJSON<Table>] = [:]
  /// Namespace → that namespace's pods. Empty namespaces are removed.
  private var pods: [String: DeferredJSON<PodTable>] = [:]
  /// The events' table.
  private var events = DeferredJSON<Table>()

  public init() {}

  /// Whether the objects of `kind` (the pods of `namespace`, when given) are decoded: false only while some
  /// are still a snapshot's text, which nothing read since the cluster was made from it.
  func isDecoded(_ kind: ResourceKind, in namespace: String? = nil) -> Bool {
    switch kind {
    case .pod: namespace.map { pods[$0]?.isDecoded ?? true } ?? pods.values.allSatisfy(\.isDecoded)
    case .event: events.isDecoded
    default: tables[kind]?.isDecoded ?? true
    }
  }

  private enum CodingKeys: String, CodingKey {
    case tables, pods, events
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    var tablePairs = try container.nestedUnkeyedContainer(forKey: .tables)
    tables = try Self.decodePairs(from: &tablePairs)
    var podPairs = try container.nestedUnkeyedContainer(forKey: .pods)
    pods = try Self.decodePairs(from: &podPairs)
    events = try container.decode(DeferredJSON<Table>.self, forKey: .events)
  }

  /// Encodes the kinds' tables and the namespaces' pods as pairs in key order, so that each archived text
  /// keeps its place in an archive written again.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    var tablePairs = container.nestedUnkeyedContainer(forKey: .tables)
    try Self.encodePairs(tables, into: &tablePairs)
    var podPairs = container.nestedUnkeyedContainer(forKey: .pods)
    try Self.encodePairs(pods, into: &podPairs)
    try container.encode(events, forKey: .events)
  }

  /// Encodes each key of `dictionary`, in order, and then its value.
  private static func encodePairs<Key: Encodable & Comparable, Value: Encodable>(
    _ dictionary: [Key: Value], into container: inout any UnkeyedEncodingContainer
  ) throws {
    for (key, value) in dictionary.sorted(by: { $0.key < $1.key }) {
      try container.encode(key)
      try container.encode(value)
    }
  }

  /// Decodes the pairs `encodePairs` wrote.
  ///
  /// - Throws: `DecodingError.dataCorrupted` when a key comes twice or has no value.
  private static func decodePairs<Key: Decodable & Hashable, Value: Decodable>(
    from container: inout any UnkeyedDecodingContainer
  ) throws -> [Key: Value] {
    var dictionary: [Key: Value] = [:]
    while !container.isAtEnd {
      let key = try container.decode(Key.self)
      guard !container.isAtEnd, dictionary.updateValue(try container.decode(Value.self), forKey: key) == nil else {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "a key twice, or without a value")
      }
    }
    return dictionary
  }

  /// The objects of `kind`, by namespace and name; nil when there are none.
  private func table(_ kind: ResourceKind) -> Table? {
    switch kind {
    case .pod: pods.isEmpty ? nil : pods.mapValues(\.value.objects)
    case .event: events.value.isEmpty ? nil : events.value
    default: tables[kind]?.value
    }
  }

  /// The objects of `kind` in `namespace` (empty for cluster-scoped kinds), by name; nil when there are none.
  private func table(_ kind: ResourceKind, in namespace: String) -> [String: APIObject]? {
    switch kind {
    case .pod: pods[namespace]?.value.objects
    case .event: events.value[namespace]
    default: tables[kind]?.value[namespace]
    }
  }

  /// The object stored under `key`.
  public subscript(key: ObjectKey) -> APIObject? {
    get {
      table(key.kind, in: key.namespace)?[key.name]
    }
    set {
      // Removing what is not there changes nothing, and leaves a snapshot's text as it was.
      if newValue == nil, self[key] == nil { return }
      switch key.kind {
      case .pod:
        if let newValue {
          pods[key.namespace, default: DeferredJSON()].value.objects[key.name] = newValue
        } else {
          pods[key.namespace]?.value.objects[key.name] = nil
          if pods[key.namespace]?.value.objects.isEmpty == true { pods[key.namespace] = nil }
        }
      case .event: Self.file(newValue, under: key, in: &events.value)
      default:
        Self.file(newValue, under: key, in: &tables[key.kind, default: DeferredJSON()].value)
        if tables[key.kind]?.value.isEmpty == true { tables[key.kind] = nil }
      }
    }
  }

  /// Stores `object` under `key` in `table`, or removes what is there when `object` is nil, leaving no
  /// empty namespace behind.
  private static func file(_ object: APIObject?, under key: ObjectKey, in table: inout Table) {
    if let object {
      table[key.namespace, default: [:]][key.name] = object
    } else if table[key.namespace]?.removeValue(forKey: key.name) != nil, table[key.namespace]?.isEmpty == true {
      table[key.namespace] = nil
    }
  }

  /// The objects of `kind`, in `namespace` when given, sorted by namespace then name.
  public func list(_ kind: ResourceKind, namespace: String? = nil) -> [APIObject] {
    if let namespace, kind.isNamespaced {
      return (table(kind, in: namespace) ?? [:]).sorted { $0.key < $1.key }.map(\.value)
    }
    guard let table = table(kind) else { return [] }
    return table.sorted { $0.key < $1.key }.flatMap { $0.value.sorted { $0.key < $1.key }.map(\.value) }
  }

  /// The objects of `kind`, in `namespace` when given, that `isIncluded` accepts, in key order: only those
  /// are sorted and kept.
  public func list(_ kind: ResourceKind, namespace: String? = nil, where isIncluded: (APIObject) -> Bool) -> [APIObject] {
    var matches: [(namespace: String, name: String, object: APIObject)] = []
    func add(_ objects: [String: APIObject], in space: String) {
      for (name, object) in objects where isIncluded(object) { matches.append((space, name, object)) }
    }
    if let namespace, kind.isNamespaced {
      add(table(kind, in: namespace) ?? [:], in: namespace)
    } else {
      for (space, objects) in table(kind) ?? [:] { add(objects, in: space) }
    }
    return matches.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }.map(\.object)
  }

  /// The objects of `kind` in `namespaces` (in every namespace when nil), sorted by namespace then name.
  public func list(_ kind: ResourceKind, in namespaces: Set<String>?) -> [APIObject] {
    guard let namespaces else { return list(kind) }
    return namespaces.sorted().flatMap { (table(kind, in: $0) ?? [:]).sorted { $0.key < $1.key }.map(\.value) }
  }

  /// Calls `body` with every object of `kind`, in `namespaces` when given, in no particular order: for
  /// work whose result does not depend on it.
  public func forEach(_ kind: ResourceKind, in namespaces: Set<String>? = nil, _ body: (APIObject) -> Void) {
    let tables = namespaces.map { $0.compactMap { table(kind, in: $0) } } ?? table(kind).map { Array($0.values) } ?? []
    for objects in tables {
      for object in objects.values { body(object) }
    }
  }

  /// All pods, optionally in one namespace, in key order.
  public func pods(in namespace: String? = nil) -> [Pod] {
    list(.pod, namespace: namespace).compactMap { if case .pod(let pod) = $0 { pod } else { nil } }
  }

  /// The pods, optionally in one namespace, that `isIncluded` accepts, in key order: only those are
  /// sorted, so a few pods among many cost little.
  public func pods(in namespace: String? = nil, where isIncluded: (Pod) -> Bool) -> [Pod] {
    list(.pod, namespace: namespace) { if case .pod(let pod) = $0 { isIncluded(pod) } else { false } }
      .compactMap { if case .pod(let pod) = $0 { pod } else { nil } }
  }

  /// Calls `body` with every pod, in `namespaces` when given, in no particular order: for work whose result
  /// does not depend on it.
  public func forEachPod(in namespaces: Set<String>? = nil, _ body: (Pod) -> Void) {
    forEach(.pod, in: namespaces) { if case .pod(let pod) = $0 { body(pod) } }
  }

  /// How many pods, optionally in one namespace, `isIncluded` accepts.
  public func countPods(in namespace: String? = nil, where isIncluded: (Pod) -> Bool) -> Int {
    var count = 0
    forEachPod(in: namespace.map { [$0] }) { if isIncluded($0) { count += 1 } }
    return count
  }

  /// The pod named by `ref`.
  public func pod(_ ref: PodRef) -> Pod? {
    if case .pod(let pod) = self[ObjectKey(kind: .pod, namespace: ref.namespace, name: ref.name)] { pod } else { nil }
  }

  /// The Service `name` in `namespace`.
  public func service(_ name: String, in namespace: String) -> Service? {
    if case .service(let s) = self[ObjectKey(kind: .service, namespace: namespace, name: name)] { s } else { nil }
  }

  /// The ConfigMap `name` in `namespace`.
  public func configMap(_ name: String, in namespace: String) -> ConfigMap? {
    if case .configMap(let c) = self[ObjectKey(kind: .configMap, namespace: namespace, name: name)] { c } else { nil }
  }

  /// The Endpoints `name` in `namespace`.
  public func endpoints(_ name: String, in namespace: String) -> Endpoints? {
    if case .endpoints(let e) = self[ObjectKey(kind: .endpoints, namespace: namespace, name: name)] { e } else { nil }
  }

  /// The ready endpoints behind one port of `service`, in the Endpoints object's order: each pod with the
  /// address its endpoint port (named as the Service port, else the first) is served at.
  func backends(of service: Service, port servicePort: Service.Port) -> [(pod: Pod, address: SocketAddress)] {
    guard let endpoints = endpoints(service.metadata.name, in: service.metadata.namespace ?? "") else { return [] }
    var backends: [(pod: Pod, address: SocketAddress)] = []
    for subset in endpoints.subsets ?? [] {
      guard let target = subset.ports?.first(where: { $0.name == servicePort.name }) ?? subset.ports?.first else { continue }
      for address in subset.addresses ?? [] {
        guard let ref = address.targetRef, let pod = pod(PodRef(namespace: ref.namespace, name: ref.name)) else { continue }
        backends.append((pod, SocketAddress(ip: address.ip, port: target.port)))
      }
    }
    return backends
  }

  /// The namespace called `name`.
  public func namespace(_ name: String) -> Namespace? {
    if case .namespace(let n) = self[ObjectKey(kind: .namespace, namespace: "", name: name)] { n } else { nil }
  }

  /// Whether a namespace called `name` exists.
  public func hasNamespace(_ name: String) -> Bool {
    self[ObjectKey(kind: .namespace, namespace: "", name: name)] != nil
  }
}

/// One namespace's pods, which a cluster's archive keeps factored (`ArchivedPods`).
private struct PodTable: Equatable, Sendable, Codable, EmptyValue {
  /// Name → pod.
  var objects: [String: APIObject] = [:]

  init() {}

  /// Decodes the pods from their factored form.
  init(from decoder: any Decoder) throws {
    objects = try ArchivedPods(from: decoder).pods(as: APIObject.pod)
  }

  /// Encodes the pods factored.
  func encode(to encoder: any Encoder) throws {
    try ArchivedPods(objects.compactMapValues { if case .pod(let pod) = $0 { pod } else { nil } }).encode(to: encoder)
  }
}
