/// The API server's storage: every object by key, listed in key order as etcd returns them.
public struct ObjectStore: Equatable, Sendable {
  private var objects: [ObjectKey: APIObject] = [:]

  public init() {}

  /// The object stored under `key`.
  public subscript(key: ObjectKey) -> APIObject? {
    get { objects[key] }
    set { objects[key] = newValue }
  }

  /// The objects of `kind`, in `namespace` when given, sorted by namespace then name.
  public func list(_ kind: ResourceKind, namespace: String? = nil) -> [APIObject] {
    objects.values
      .filter { $0.kind == kind && (namespace == nil || !kind.isNamespaced || $0.metadata.namespace == namespace) }
      .sorted { $0.key < $1.key }
  }

  /// All pods, optionally in one namespace, in key order.
  public func pods(in namespace: String? = nil) -> [Pod] {
    list(.pod, namespace: namespace).compactMap { if case .pod(let pod) = $0 { pod } else { nil } }
  }

  /// The pod named by `ref`.
  public func pod(_ ref: PodRef) -> Pod? {
    if case .pod(let pod) = objects[ObjectKey(kind: .pod, namespace: ref.namespace, name: ref.name)] { pod } else { nil }
  }

  /// The Service `name` in `namespace`.
  public func service(_ name: String, in namespace: String) -> Service? {
    if case .service(let s) = objects[ObjectKey(kind: .service, namespace: namespace, name: name)] { s } else { nil }
  }

  /// The ConfigMap `name` in `namespace`.
  public func configMap(_ name: String, in namespace: String) -> ConfigMap? {
    if case .configMap(let c) = objects[ObjectKey(kind: .configMap, namespace: namespace, name: name)] { c } else { nil }
  }

  /// The Endpoints `name` in `namespace`.
  public func endpoints(_ name: String, in namespace: String) -> Endpoints? {
    if case .endpoints(let e) = objects[ObjectKey(kind: .endpoints, namespace: namespace, name: name)] { e } else { nil }
  }

  /// Whether a namespace called `name` exists.
  public func hasNamespace(_ name: String) -> Bool {
    objects[ObjectKey(kind: .namespace, namespace: "", name: name)] != nil
  }
}
