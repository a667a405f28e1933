/// A Maistra ServiceMeshControlPlane (`maistra.io/v2`): the installed control plane.
public struct ServiceMeshControlPlane: Codable, Equatable, Sendable {
  public var apiVersion: String = "maistra.io/v2"
  public var kind: String = "ServiceMeshControlPlane"
  public var metadata: ObjectMeta
  public var spec: Spec
  public var status: Status?

  public init(metadata: ObjectMeta, spec: Spec) {
    self.metadata = metadata
    self.spec = spec
  }

  /// The control plane's version, profiles, proxy, tracing and gateway settings.
  public struct Spec: Codable, Equatable, Sendable {
    public var version: String?
    public var profiles: [String]?
    public var proxy: Proxy?
    public var tracing: Tracing?
    public var gateways: Gateways?

    public init(version: String?, profiles: [String]?, proxy: Proxy?, tracing: Tracing?, gateways: Gateways?) {
      self.version = version
      self.profiles = profiles
      self.proxy = proxy
      self.tracing = tracing
      self.gateways = gateways
    }
  }

  /// Proxy settings: where access logs go.
  public struct Proxy: Codable, Equatable, Sendable {
    public var accessLogging: AccessLogging?

    public init(accessLogging: AccessLogging?) { self.accessLogging = accessLogging }
  }

  /// Where sidecars write access logs.
  public struct AccessLogging: Codable, Equatable, Sendable {
    public var file: File?

    public init(file: File?) { self.file = file }

    /// A file name; `/dev/stdout` sends access logs to the container log.
    public struct File: Codable, Equatable, Sendable {
      public var name: String?

      public init(name: String?) { self.name = name }
    }
  }

  /// Tracing: `Jaeger` with a sampling rate in hundredths of a percent.
  public struct Tracing: Codable, Equatable, Sendable {
    public var type: String?
    public var sampling: Int?

    public init(type: String?, sampling: Int?) {
      self.type = type
      self.sampling = sampling
    }
  }

  /// Gateways: whether Istio OpenShift Routing creates Routes.
  public struct Gateways: Codable, Equatable, Sendable {
    public var openshiftRoute: Toggle?

    public init(openshiftRoute: Toggle?) { self.openshiftRoute = openshiftRoute }
  }

  /// An `enabled` switch.
  public struct Toggle: Codable, Equatable, Sendable {
    public var enabled: Bool?

    public init(enabled: Bool?) { self.enabled = enabled }
  }

  /// What the operator reports: chart version, applied profiles and component readiness.
  public struct Status: Codable, Equatable, Sendable {
    public var chartVersion: String?
    public var appliedProfiles: [String]?
    public var readiness: Readiness?

    /// Component names by readiness: `ready`, `pending`, `unready`.
    public struct Readiness: Codable, Equatable, Sendable {
      public var components: [String: [String]]?
    }
  }
}

/// A Maistra ServiceMeshMemberRoll (`maistra.io/v1`): the namespaces that belong to the mesh.
public struct ServiceMeshMemberRoll: Codable, Equatable, Sendable {
  public var apiVersion: String = "maistra.io/v1"
  public var kind: String = "ServiceMeshMemberRoll"
  public var metadata: ObjectMeta
  public var spec: Spec
  public var status: Status?

  public init(metadata: ObjectMeta, spec: Spec) {
    self.metadata = metadata
    self.spec = spec
  }

  /// The namespaces that should be members.
  public struct Spec: Codable, Equatable, Sendable {
    public var members: [String]?

    public init(members: [String]?) { self.members = members }
  }

  /// Which members are configured and which are still pending.
  public struct Status: Codable, Equatable, Sendable {
    public var members: [String]?
    public var configuredMembers: [String]?
    public var pendingMembers: [String]?
    public var meshVersion: String?
  }
}
