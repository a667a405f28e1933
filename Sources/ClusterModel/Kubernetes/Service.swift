/// A Service (`v1`): a stable virtual IP and DNS name in front of the pods its selector matches.
public struct Service: Codable, Equatable, Sendable {
  public var apiVersion: String = "v1"
  public var kind: String = "Service"
  public var metadata: ObjectMeta
  public var spec: Spec
  public var status: Status?

  public init(metadata: ObjectMeta, spec: Spec) {
    self.metadata = metadata
    self.spec = spec
  }

  public struct Spec: Codable, Equatable, Sendable {
    public var ports: [Port]?
    public var selector: [String: String]?
    public var clusterIP: String?
    public var clusterIPs: [String]?
    public var type: String?
    public var sessionAffinity: String?
    public var ipFamilies: [String]?
    public var ipFamilyPolicy: String?
    public var internalTrafficPolicy: String?

    public init(ports: [Port], selector: [String: String]?) {
      self.ports = ports
      self.selector = selector
    }
  }

  public struct Port: Codable, Equatable, Sendable {
    public var name: String?
    public var `protocol`: String?
    public var appProtocol: String?
    public var port: Int
    public var targetPort: IntOrString?

    public init(name: String?, port: Int, targetPort: IntOrString?) {
      self.name = name
      self.port = port
      self.targetPort = targetPort
    }
  }

  public struct Status: Codable, Equatable, Sendable {
    public var loadBalancer: LoadBalancer?
  }

  public struct LoadBalancer: Codable, Equatable, Sendable {}

  /// Whether the Service has no virtual IP (`clusterIP: None`).
  public var isHeadless: Bool { spec.clusterIP == "None" }
}

/// Endpoints (`v1`): the ready and not-ready addresses behind a Service.
public struct Endpoints: Codable, Equatable, Sendable {
  public var apiVersion: String = "v1"
  public var kind: String = "Endpoints"
  public var metadata: ObjectMeta
  public var subsets: [Subset]?

  public init(metadata: ObjectMeta, subsets: [Subset]?) {
    self.metadata = metadata
    self.subsets = subsets
  }

  public struct Subset: Codable, Equatable, Sendable {
    public var addresses: [Address]?
    public var notReadyAddresses: [Address]?
    public var ports: [Port]?
  }

  public struct Address: Codable, Equatable, Sendable {
    public var ip: String
    public var nodeName: String?
    public var targetRef: Reference?
  }

  public struct Reference: Codable, Equatable, Sendable {
    public var kind: String
    public var namespace: String
    public var name: String
    public var uid: String
  }

  public struct Port: Codable, Equatable, Sendable {
    public var name: String?
    public var port: Int
    public var `protocol`: String?
  }
}
