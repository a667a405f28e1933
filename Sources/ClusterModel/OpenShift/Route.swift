/// An OpenShift Route (`route.openshift.io/v1`): a host name the router sends to a Service.
public struct Route: Codable, Equatable, Sendable {
  public var apiVersion: String = "route.openshift.io/v1"
  public var kind: String = "Route"
  public var metadata: ObjectMeta
  public var spec: Spec
  public var status: Status?

  public init(metadata: ObjectMeta, spec: Spec) {
    self.metadata = metadata
    self.spec = spec
  }

  /// The host, the Service behind it, its port and how TLS ends.
  public struct Spec: Codable, Equatable, Sendable {
    public var host: String?
    public var path: String?
    public var to: Target
    public var port: Port?
    public var tls: TLS?
    public var wildcardPolicy: String?

    public init(host: String?, to: Target, port: Port?, tls: TLS?, wildcardPolicy: String? = "None") {
      self.host = host
      self.to = to
      self.port = port
      self.tls = tls
      self.wildcardPolicy = wildcardPolicy
    }
  }

  /// The Service a route sends to.
  public struct Target: Codable, Equatable, Sendable {
    public var kind: String
    public var name: String
    public var weight: Int?

    public init(kind: String = "Service", name: String, weight: Int? = 100) {
      self.kind = kind
      self.name = name
      self.weight = weight
    }
  }

  /// The Service port, by name or number.
  public struct Port: Codable, Equatable, Sendable {
    public var targetPort: IntOrString

    public init(targetPort: IntOrString) { self.targetPort = targetPort }
  }

  /// `edge`, `reencrypt` or `passthrough`, and what to do with plain HTTP.
  public struct TLS: Codable, Equatable, Sendable {
    public var termination: String
    public var insecureEdgeTerminationPolicy: String?

    public init(termination: String, insecureEdgeTerminationPolicy: String? = nil) {
      self.termination = termination
      self.insecureEdgeTerminationPolicy = insecureEdgeTerminationPolicy
    }
  }

  /// Which routers admitted the route, and for which host.
  public struct Status: Codable, Equatable, Sendable {
    public var ingress: [Ingress]?

    /// One router's view of the route.
    public struct Ingress: Codable, Equatable, Sendable {
      public var host: String?
      public var routerName: String?
      public var routerCanonicalHostname: String?
      public var wildcardPolicy: String?
      public var conditions: [Condition]?
    }

    /// `Admitted: True`.
    public struct Condition: Codable, Equatable, Sendable {
      public var type: String
      public var status: String
      public var lastTransitionTime: Timestamp?
    }
  }
}

/// The cluster's ingress configuration (`ingresses.config.openshift.io/cluster`): the apps domain.
public struct IngressConfig: Codable, Equatable, Sendable {
  public var apiVersion: String = "config.openshift.io/v1"
  public var kind: String = "Ingress"
  public var metadata: ObjectMeta
  public var spec: Spec

  public init(metadata: ObjectMeta, spec: Spec) {
    self.metadata = metadata
    self.spec = spec
  }

  /// The domain routes get their default host names under.
  public struct Spec: Codable, Equatable, Sendable {
    public var domain: String?

    public init(domain: String?) { self.domain = domain }
  }
}

extension Cluster {
  /// The domain routes are served under (`spec.domain` of `ingresses.config.openshift.io/cluster`).
  public var appsDomain: String {
    if case .ingressConfig(let config) = store[ObjectKey(kind: .ingressConfig, namespace: "", name: "cluster")],
      let domain = config.spec.domain
    {
      return domain
    }
    return "apps.cluster.example.com"
  }
}
