/// The kinds of API object the cluster stores, with their REST names.
public enum ResourceKind: String, CaseIterable, Codable, Sendable, Comparable {
  case namespace = "Namespace"
  case configMap = "ConfigMap"
  case secret = "Secret"
  case pod = "Pod"
  case service = "Service"
  case endpoints = "Endpoints"
  case deployment = "Deployment"
  case replicaSet = "ReplicaSet"

  /// The API group; empty for the core group.
  public var group: String {
    switch self {
    case .deployment, .replicaSet: "apps"
    default: ""
    }
  }

  /// `group/version`, or `v1` for the core group.
  public var apiVersion: String { group.isEmpty ? "v1" : "\(group)/v1" }

  /// The lower-case plural resource name, as in URLs and `kubectl get`.
  public var plural: String {
    switch self {
    case .namespace: "namespaces"
    case .configMap: "configmaps"
    case .secret: "secrets"
    case .pod: "pods"
    case .service: "services"
    case .endpoints: "endpoints"
    case .deployment: "deployments"
    case .replicaSet: "replicasets"
    }
  }

  /// The lower-case singular name.
  public var singular: String { rawValue.lowercased() }

  /// The short names kubectl accepts.
  public var shortNames: [String] {
    switch self {
    case .namespace: ["ns"]
    case .configMap: ["cm"]
    case .secret: []
    case .pod: ["po"]
    case .service: ["svc"]
    case .endpoints: ["ep"]
    case .deployment: ["deploy"]
    case .replicaSet: ["rs"]
    }
  }

  /// Whether objects of this kind live in a namespace.
  public var isNamespaced: Bool { self != .namespace }

  /// `plural.group` (or `plural` in the core group), as kubectl qualifies names: `deployments.apps`.
  public var qualifiedPlural: String { group.isEmpty ? plural : "\(plural).\(group)" }

  /// `singular.group`, as kubectl prefixes names in messages: `deployment.apps`.
  public var qualifiedSingular: String { group.isEmpty ? singular : "\(singular).\(group)" }

  /// Orders kinds by their declaration order.
  public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool {
    allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
  }
}
