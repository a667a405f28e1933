/// The kinds of API object the cluster stores, with their REST names.
public enum ResourceKind: String, CaseIterable, Codable, Sendable, Comparable {
  case namespace = "Namespace"
  case configMap = "ConfigMap"
  case secret = "Secret"
  case serviceAccount = "ServiceAccount"
  case pod = "Pod"
  case service = "Service"
  case endpoints = "Endpoints"
  case deployment = "Deployment"
  case replicaSet = "ReplicaSet"
  case event = "Event"
  case route = "Route"
  case ingressConfig = "Ingress"
  case serviceMeshControlPlane = "ServiceMeshControlPlane"
  case serviceMeshMemberRoll = "ServiceMeshMemberRoll"
  case virtualService = "VirtualService"
  case destinationRule = "DestinationRule"
  case gateway = "Gateway"
  case peerAuthentication = "PeerAuthentication"

  /// The API group; empty for the core group.
  public var group: String {
    switch self {
    case .deployment, .replicaSet: "apps"
    case .serviceMeshControlPlane, .serviceMeshMemberRoll: "maistra.io"
    case .virtualService, .destinationRule, .gateway: "networking.istio.io"
    case .peerAuthentication: "security.istio.io"
    case .route: "route.openshift.io"
    case .ingressConfig: "config.openshift.io"
    default: ""
    }
  }

  /// Whether a CustomResourceDefinition serves the kind, rather than the API server itself.
  public var isCustomResourceKind: Bool {
    switch self {
    case .serviceMeshControlPlane, .serviceMeshMemberRoll, .virtualService, .destinationRule, .gateway, .peerAuthentication, .ingressConfig:
      true
    default: false
    }
  }

  /// Whether the API server gives the kind's objects a `generation`, which counts changes to their spec:
  /// Deployments, ReplicaSets, and what CustomResourceDefinitions serve.
  public var hasGeneration: Bool {
    switch self {
    case .deployment, .replicaSet: true
    default: isCustomResourceKind
    }
  }

  /// The `group/version` values the API server serves for this kind, the preferred one first.
  public var apiVersions: [String] {
    switch self {
    case .serviceMeshControlPlane: ["maistra.io/v2", "maistra.io/v1"]
    case .serviceMeshMemberRoll: ["maistra.io/v1"]
    case .virtualService, .destinationRule, .gateway: ["v1beta1", "v1alpha3"].map { "\(group)/\($0)" }
    case .peerAuthentication: ["security.istio.io/v1beta1"]
    default: [group.isEmpty ? "v1" : "\(group)/v1"]
    }
  }

  /// The preferred `group/version`, or `v1` for the core group.
  public var apiVersion: String { apiVersions[0] }

  /// The lower-case plural resource name, as in URLs and `kubectl get`.
  public var plural: String {
    switch self {
    case .namespace: "namespaces"
    case .configMap: "configmaps"
    case .secret: "secrets"
    case .serviceAccount: "serviceaccounts"
    case .pod: "pods"
    case .service: "services"
    case .endpoints: "endpoints"
    case .deployment: "deployments"
    case .replicaSet: "replicasets"
    case .event: "events"
    case .route: "routes"
    case .ingressConfig: "ingresses"
    case .serviceMeshControlPlane: "servicemeshcontrolplanes"
    case .serviceMeshMemberRoll: "servicemeshmemberrolls"
    case .virtualService: "virtualservices"
    case .destinationRule: "destinationrules"
    case .gateway: "gateways"
    case .peerAuthentication: "peerauthentications"
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
    case .serviceAccount: ["sa"]
    case .pod: ["po"]
    case .service: ["svc"]
    case .endpoints: ["ep"]
    case .deployment: ["deploy"]
    case .replicaSet: ["rs"]
    case .event: ["ev"]
    case .route, .ingressConfig: []
    case .serviceMeshControlPlane: ["smcp"]
    case .serviceMeshMemberRoll: ["smmr"]
    case .virtualService: ["vs"]
    case .destinationRule: ["dr"]
    case .gateway: ["gw"]
    case .peerAuthentication: ["pa"]
    }
  }

  /// Whether objects of this kind live in a namespace.
  public var isNamespaced: Bool { self != .namespace && self != .ingressConfig }

  /// `plural.group` (or `plural` in the core group), as kubectl qualifies names: `deployments.apps`.
  public var qualifiedPlural: String { group.isEmpty ? plural : "\(plural).\(group)" }

  /// `singular.group`, as kubectl prefixes names in messages: `deployment.apps`.
  public var qualifiedSingular: String { group.isEmpty ? singular : "\(singular).\(group)" }

  /// `Kind.group`, as a Go client names the kind in an error: `ReplicaSet.apps`.
  public var qualifiedKind: String { group.isEmpty ? rawValue : "\(rawValue).\(group)" }

  /// Orders kinds by their declaration order.
  public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool {
    lhs.ordinal < rhs.ordinal
  }

  /// Hashes the kind's place rather than its name: the store and the controllers' watches look kinds up
  /// on every write.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(ordinal)
  }

  /// The kind's place in declaration order, which is `allCases`'s.
  var ordinal: Int {
    switch self {
    case .namespace: 0
    case .configMap: 1
    case .secret: 2
    case .serviceAccount: 3
    case .pod: 4
    case .service: 5
    case .endpoints: 6
    case .deployment: 7
    case .replicaSet: 8
    case .event: 9
    case .route: 10
    case .ingressConfig: 11
    case .serviceMeshControlPlane: 12
    case .serviceMeshMemberRoll: 13
    case .virtualService: 14
    case .destinationRule: 15
    case .gateway: 16
    case .peerAuthentication: 17
    }
  }
}
