/// A Pod (`v1`): one or more containers scheduled together on a node.
public struct Pod: Codable, Equatable, Sendable {
  public var apiVersion: String = "v1"
  public var kind: String = "Pod"
  public var metadata: ObjectMeta
  public var spec: PodSpec
  public var status: PodStatus?

  public init(metadata: ObjectMeta, spec: PodSpec, status: PodStatus? = nil) {
    self.metadata = metadata
    self.spec = spec
    self.status = status
  }
}

/// What runs in a pod.
public struct PodSpec: Codable, Equatable, Sendable {
  public var volumes: [Volume]?
  public var initContainers: [Container]?
  public var containers: [Container]
  public var restartPolicy: String?
  public var terminationGracePeriodSeconds: Int?
  public var dnsPolicy: String?
  public var serviceAccountName: String?
  public var nodeName: String?
  public var schedulerName: String?

  public init(containers: [Container], volumes: [Volume]? = nil) {
    self.containers = containers
    self.volumes = volumes
  }
}

/// One container of a pod.
public struct Container: Codable, Equatable, Sendable {
  public var name: String
  public var image: String?
  public var command: [String]?
  public var args: [String]?
  public var ports: [ContainerPort]?
  public var env: [EnvVar]?
  public var volumeMounts: [VolumeMount]?
  public var imagePullPolicy: String?
  public var terminationMessagePath: String?
  public var terminationMessagePolicy: String?

  public init(name: String, image: String, ports: [ContainerPort]? = nil) {
    self.name = name
    self.image = image
    self.ports = ports
  }
}

/// A port a container listens on.
public struct ContainerPort: Codable, Equatable, Sendable {
  public var name: String?
  public var containerPort: Int
  public var `protocol`: String?

  public init(name: String? = nil, containerPort: Int, protocol: String? = "TCP") {
    self.name = name
    self.containerPort = containerPort
    self.protocol = `protocol`
  }
}

/// An environment variable with a literal value.
public struct EnvVar: Codable, Equatable, Sendable {
  public var name: String
  public var value: String?
}

/// Where a volume appears inside a container.
public struct VolumeMount: Codable, Equatable, Sendable {
  public var name: String
  public var mountPath: String
  public var readOnly: Bool?
  public var subPath: String?

  public init(name: String, mountPath: String) {
    self.name = name
    self.mountPath = mountPath
  }
}

/// A pod volume: a ConfigMap, a Secret or an empty directory.
public struct Volume: Codable, Equatable, Sendable {
  public var name: String
  public var configMap: ConfigMapVolumeSource?
  public var secret: SecretVolumeSource?
  public var emptyDir: EmptyDirVolumeSource?

  public init(name: String, configMap: ConfigMapVolumeSource) {
    self.name = name
    self.configMap = configMap
  }
}

/// A ConfigMap projected as files.
public struct ConfigMapVolumeSource: Codable, Equatable, Sendable {
  public var name: String
  public var defaultMode: Int?
  public var optional: Bool?

  public init(name: String) { self.name = name }
}

/// A Secret projected as files.
public struct SecretVolumeSource: Codable, Equatable, Sendable {
  public var secretName: String
  public var defaultMode: Int?
  public var optional: Bool?
}

/// An empty scratch directory.
public struct EmptyDirVolumeSource: Codable, Equatable, Sendable {
  public var medium: String?
}

/// The observed state of a pod.
public struct PodStatus: Codable, Equatable, Sendable {
  public var phase: String?
  public var conditions: [PodCondition]?
  public var hostIP: String?
  public var podIP: String?
  public var startTime: Timestamp?
  public var containerStatuses: [ContainerStatus]?
  public var qosClass: String?

  public init(phase: String) { self.phase = phase }
}

/// A pod condition such as `Ready`.
public struct PodCondition: Codable, Equatable, Sendable {
  public var type: String
  public var status: String
  public var lastProbeTime: Timestamp?
  public var lastTransitionTime: Timestamp?
  public var reason: String?
  public var message: String?
}

/// The observed state of one container.
public struct ContainerStatus: Codable, Equatable, Sendable {
  public var name: String
  public var state: ContainerState
  public var ready: Bool
  public var restartCount: Int
  public var image: String
  public var imageID: String
  public var started: Bool?
}

/// Exactly one of waiting, running or terminated.
public struct ContainerState: Codable, Equatable, Sendable {
  public var waiting: Waiting?
  public var running: Running?
  public var terminated: Terminated?

  public struct Waiting: Codable, Equatable, Sendable {
    public var reason: String?
    public var message: String?
  }

  public struct Running: Codable, Equatable, Sendable {
    public var startedAt: Timestamp?
  }

  public struct Terminated: Codable, Equatable, Sendable {
    public var exitCode: Int
    public var reason: String?
    public var startedAt: Timestamp?
    public var finishedAt: Timestamp?
  }
}

extension Pod {
  /// Whether the pod's `Ready` condition is true.
  public var isReady: Bool {
    status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
  }

  /// The number of ready containers and the number of containers, as `READY` shows them.
  public var readyCount: (ready: Int, total: Int) {
    let statuses = status?.containerStatuses ?? []
    return (statuses.filter(\.ready).count, spec.containers.count)
  }

  /// The sum of container restarts.
  public var restarts: Int { (status?.containerStatuses ?? []).reduce(0) { $0 + $1.restartCount } }

  /// The `STATUS` column: a waiting reason, `Terminating`, or the phase.
  public var displayStatus: String {
    if metadata.deletionTimestamp != nil { return "Terminating" }
    for container in status?.containerStatuses ?? [] {
      if let reason = container.state.waiting?.reason, reason != "" { return reason }
      if let reason = container.state.terminated?.reason { return reason }
    }
    return status?.phase ?? "Pending"
  }

  /// The name of the controlling owner, if any.
  public var controllerName: String? {
    metadata.ownerReferences?.first { $0.controller == true }?.name
  }

  /// The container that `oc logs` and `oc exec` pick when none is named.
  public var defaultContainerName: String? {
    metadata.annotation("kubectl.kubernetes.io/default-container") ?? spec.containers.first?.name
  }
}
