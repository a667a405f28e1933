/// A pod template: the metadata and spec every pod of a controller starts from.
public struct PodTemplateSpec: Codable, Equatable, Sendable {
  public var metadata: ObjectMeta?
  public var spec: PodSpec

  public init(metadata: ObjectMeta?, spec: PodSpec) {
    self.metadata = metadata
    self.spec = spec
  }
}

/// A Deployment (`apps/v1`): declarative updates for pods through ReplicaSets.
public struct Deployment: Codable, Equatable, Sendable {
  public var apiVersion: String = "apps/v1"
  public var kind: String = "Deployment"
  public var metadata: ObjectMeta
  public var spec: Spec
  public var status: Status?

  public init(metadata: ObjectMeta, spec: Spec) {
    self.metadata = metadata
    self.spec = spec
  }

  public struct Spec: Codable, Equatable, Sendable {
    public var replicas: Int?
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    public var strategy: Strategy?
    public var revisionHistoryLimit: Int?
    public var progressDeadlineSeconds: Int?

    public init(replicas: Int?, selector: LabelSelector, template: PodTemplateSpec) {
      self.replicas = replicas
      self.selector = selector
      self.template = template
    }
  }

  public struct Strategy: Codable, Equatable, Sendable {
    public var type: String?
    public var rollingUpdate: RollingUpdate?
  }

  public struct RollingUpdate: Codable, Equatable, Sendable {
    public var maxUnavailable: IntOrString?
    public var maxSurge: IntOrString?
  }

  public struct Status: Codable, Equatable, Sendable {
    public var observedGeneration: Int64?
    public var replicas: Int?
    public var updatedReplicas: Int?
    public var readyReplicas: Int?
    public var availableReplicas: Int?
    public var unavailableReplicas: Int?
    public var conditions: [Condition]?
  }

  public struct Condition: Codable, Equatable, Sendable {
    public var type: String
    public var status: String
    public var lastUpdateTime: Timestamp?
    public var lastTransitionTime: Timestamp?
    public var reason: String?
    public var message: String?
  }
}

/// A ReplicaSet (`apps/v1`): keeps a number of identical pods running.
public struct ReplicaSet: Codable, Equatable, Sendable {
  public var apiVersion: String = "apps/v1"
  public var kind: String = "ReplicaSet"
  public var metadata: ObjectMeta
  public var spec: Spec
  public var status: Status?

  public init(metadata: ObjectMeta, spec: Spec) {
    self.metadata = metadata
    self.spec = spec
  }

  public struct Spec: Codable, Equatable, Sendable {
    public var replicas: Int?
    public var selector: LabelSelector
    public var template: PodTemplateSpec
  }

  public struct Status: Codable, Equatable, Sendable {
    public var replicas: Int
    public var fullyLabeledReplicas: Int?
    public var readyReplicas: Int?
    public var availableReplicas: Int?
    public var observedGeneration: Int64?
  }
}

extension ReplicaSet {
  /// Whether this ReplicaSet runs `deployment`'s current pod template (equal but for `pod-template-hash`),
  /// which is how the Deployment controller finds its new ReplicaSet.
  public func hasTemplate(of deployment: Deployment) -> Bool {
    var template = spec.template
    template.metadata?.labels?["pod-template-hash"] = nil
    return template == deployment.spec.template
  }
}
