/// A Pod (`v1`): one or more containers scheduled together on a node.
public struct Pod: Codable, Equatable, Sendable {
  public var apiVersion: String = "v1"
  public var kind: String = "Pod"
  public var metadata: ObjectMeta
  /// Kept in a shared box: controllers copy pods often and change their specs rarely.
  @CopyOnWrite public var spec: PodSpec
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
  /// The deprecated twin of `serviceAccountName`, which the API server keeps equal to it.
  public var serviceAccount: String?
  public var nodeName: String?
  public var securityContext: PodSecurityContext?
  public var schedulerName: String?
  public var tolerations: [Toleration]?
  public var priority: Int?
  public var enableServiceLinks: Bool?
  public var preemptionPolicy: String?

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
  public var resources: ResourceRequirements?
  public var volumeMounts: [VolumeMount]?
  public var readinessProbe: Probe?
  public var terminationMessagePath: String?
  public var terminationMessagePolicy: String?
  public var imagePullPolicy: String?
  public var securityContext: SecurityContext?

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

/// An environment variable: a literal value, or one taken from the pod's fields or the container's resources.
public struct EnvVar: Codable, Equatable, Sendable {
  public var name: String
  public var value: String?
  public var valueFrom: Source?

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }

  public init(_ name: String, field path: String) {
    self.name = name
    valueFrom = Source(fieldRef: FieldSelector(fieldPath: path))
  }

  public init(_ name: String, resource: String) {
    self.name = name
    valueFrom = Source(resourceFieldRef: ResourceFieldSelector(resource: resource, divisor: "0"))
  }

  /// `valueFrom`.
  public struct Source: Codable, Equatable, Sendable {
    public var fieldRef: FieldSelector?
    public var resourceFieldRef: ResourceFieldSelector?
  }
}

/// A field of the pod (`metadata.name`, `status.podIP`).
public struct FieldSelector: Codable, Equatable, Sendable {
  public var apiVersion: String?
  public var fieldPath: String

  public init(fieldPath: String) {
    apiVersion = "v1"
    self.fieldPath = fieldPath
  }
}

/// A resource of the container (`limits.cpu`), in units of `divisor`.
public struct ResourceFieldSelector: Codable, Equatable, Sendable {
  public var resource: String
  @Quantity public var divisor: String?

  init(resource: String, divisor: String?) {
    self.resource = resource
    self.divisor = divisor
  }
}

/// A container's resource limits and requests, as quantities by resource name.
public struct ResourceRequirements: Codable, Equatable, Sendable {
  public var limits: [String: String]?
  public var requests: [String: String]?

  public init(limits: [String: String]? = nil, requests: [String: String]? = nil) {
    self.limits = limits
    self.requests = requests
  }

  private enum CodingKeys: String, CodingKey {
    case limits, requests
  }

  /// Quantities written as YAML numbers (`cpu: 1`, `cpu: 0.5`) are read as the API server reads them.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    limits = try container.decodeIfPresent([String: Quantity].self, forKey: .limits)?.mapValues { $0.wrappedValue ?? "" }
    requests = try container.decodeIfPresent([String: Quantity].self, forKey: .requests)?.mapValues { $0.wrappedValue ?? "" }
  }
}

/// A resource quantity, which a manifest may write as a number (`1`, `0.5`) or a string (`500m`, `128Mi`),
/// kept in the API server's canonical form (`0.5` is `500m`, `1024Mi` is `1Gi`).
@propertyWrapper
public struct Quantity: Codable, Equatable, Sendable {
  public var wrappedValue: String?

  public init(wrappedValue: String?) { self.wrappedValue = wrappedValue }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text: String
    if container.decodeNil() {
      wrappedValue = nil
      return
    } else if let string = try? container.decode(String.self) {
      text = string
    } else if let whole = try? container.decode(Int64.self) {
      text = String(whole)
    } else {
      text = String(try container.decode(Double.self))
    }
    do {
      wrappedValue = try QuantityText.canonical(text)
    } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(wrappedValue)
  }
}

extension KeyedDecodingContainer {
  /// An absent quantity is nil, as an absent optional is.
  public func decode(_ type: Quantity.Type, forKey key: Key) throws -> Quantity {
    try decodeIfPresent(type, forKey: key) ?? Quantity(wrappedValue: nil)
  }
}

extension KeyedEncodingContainer {
  /// A nil quantity is left out, as a nil optional is.
  public mutating func encode(_ value: Quantity, forKey key: Key) throws {
    if let text = value.wrappedValue { try encode(text, forKey: key) }
  }
}

/// A probe the kubelet runs against a container.
public struct Probe: Codable, Equatable, Sendable {
  public var httpGet: HTTPGetAction?
  public var initialDelaySeconds: Int?
  public var timeoutSeconds: Int?
  public var periodSeconds: Int?
  public var successThreshold: Int?
  public var failureThreshold: Int?

  /// `httpGet`: a path and port (a number, or a container port's name) of the pod.
  public struct HTTPGetAction: Codable, Equatable, Sendable {
    public var path: String?
    public var port: IntOrString
    public var scheme: String?
  }
}

/// Security settings of one container.
public struct SecurityContext: Codable, Equatable, Sendable {
  public var allowPrivilegeEscalation: Bool?
  public var capabilities: Capabilities?
  public var privileged: Bool?
  public var readOnlyRootFilesystem: Bool?
  public var runAsGroup: Int?
  public var runAsNonRoot: Bool?
  public var runAsUser: Int?

  /// Linux capabilities added and dropped.
  public struct Capabilities: Codable, Equatable, Sendable {
    public var add: [String]?
    public var drop: [String]?
  }
}

/// Security settings of the whole pod.
public struct PodSecurityContext: Codable, Equatable, Sendable {
  public var fsGroup: Int?
  public var runAsGroup: Int?
  public var runAsNonRoot: Bool?
  public var runAsUser: Int?

  public init() {}
}

/// A taint the pod tolerates, for `tolerationSeconds` when the taint evicts.
public struct Toleration: Codable, Equatable, Sendable {
  public var key: String?
  public var `operator`: String?
  public var value: String?
  public var effect: String?
  public var tolerationSeconds: Int?
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

/// A pod volume: a ConfigMap, a Secret, an empty directory, the pod's own fields, or several projected together.
public struct Volume: Codable, Equatable, Sendable {
  public var name: String
  public var configMap: ConfigMapVolumeSource?
  public var secret: SecretVolumeSource?
  public var emptyDir: EmptyDirVolumeSource?
  public var downwardAPI: DownwardAPIVolumeSource?
  public var projected: ProjectedVolumeSource?

  public init(
    name: String, configMap: ConfigMapVolumeSource? = nil, emptyDir: EmptyDirVolumeSource? = nil,
    downwardAPI: DownwardAPIVolumeSource? = nil, projected: ProjectedVolumeSource? = nil
  ) {
    self.name = name
    self.configMap = configMap
    self.emptyDir = emptyDir
    self.downwardAPI = downwardAPI
    self.projected = projected
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

/// Fields of the pod as files.
public struct DownwardAPIVolumeSource: Codable, Equatable, Sendable {
  public var defaultMode: Int?
  public var items: [Item]?

  /// One file: the field it holds, and its path.
  public struct Item: Codable, Equatable, Sendable {
    public var fieldRef: FieldSelector?
    public var path: String
  }
}

/// Several sources in one directory: a service account token, ConfigMap keys, the pod's fields.
public struct ProjectedVolumeSource: Codable, Equatable, Sendable {
  public var defaultMode: Int?
  public var sources: [Projection]?

  /// One source of a projected volume.
  public struct Projection: Codable, Equatable, Sendable {
    public var serviceAccountToken: ServiceAccountToken?
    public var configMap: ConfigMapKeys?
    public var downwardAPI: DownwardAPIVolumeSource?
  }

  /// A token for the pod's service account, for `audience`.
  public struct ServiceAccountToken: Codable, Equatable, Sendable {
    public var audience: String?
    public var expirationSeconds: Int?
    public var path: String
  }

  /// Keys of a ConfigMap, each as a file.
  public struct ConfigMapKeys: Codable, Equatable, Sendable {
    public var name: String
    public var items: [KeyToPath]?
    public var optional: Bool?
  }

  /// A key and the file that holds it.
  public struct KeyToPath: Codable, Equatable, Sendable {
    public var key: String
    public var path: String
  }
}

/// The observed state of a pod.
public struct PodStatus: Codable, Hashable, Sendable {
  public var phase: String?
  public var conditions: [PodCondition]?
  public var hostIP: String?
  public var podIP: String?
  /// The pod's addresses, one per IP family: here its one IPv4 address.
  public var podIPs: [PodIP]?
  public var startTime: Timestamp?
  public var containerStatuses: [ContainerStatus]?
  public var qosClass: String?

  public init(phase: String) { self.phase = phase }
}

/// One of a pod's addresses.
public struct PodIP: Codable, Hashable, Sendable {
  /// The address.
  public var ip: String

  /// The address `ip`.
  public init(ip: String) { self.ip = ip }
}

/// A pod condition such as `Ready`.
public struct PodCondition: Codable, Hashable, Sendable {
  public var type: String
  public var status: String
  public var lastProbeTime: Timestamp?
  public var lastTransitionTime: Timestamp?
  public var reason: String?
  public var message: String?
}

/// The observed state of one container.
public struct ContainerStatus: Codable, Hashable, Sendable {
  public var name: String
  public var state: ContainerState
  /// The state before the last restart; empty when the container never restarted.
  public var lastState: ContainerState?
  public var ready: Bool
  public var restartCount: Int
  public var image: String
  public var imageID: String
  /// The runtime's id of the container once it was created: `cri-o://` and 64 hexadecimal digits.
  public var containerID: String?
  public var started: Bool?
}

/// Exactly one of waiting, running or terminated.
public struct ContainerState: Codable, Hashable, Sendable {
  public var waiting: Waiting?
  public var running: Running?
  public var terminated: Terminated?

  public struct Waiting: Codable, Hashable, Sendable {
    public var reason: String?
    public var message: String?
  }

  public struct Running: Codable, Hashable, Sendable {
    public var startedAt: Timestamp?
  }

  public struct Terminated: Codable, Hashable, Sendable {
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

  /// Every `displayStatus` the model gives a pod: its phases, and the reasons its containers wait for.
  public static let displayedStatuses = [
    "Pending", "ContainerCreating", "PodInitializing", "Running", "Terminating", "ErrImagePull", "ImagePullBackOff",
    "CrashLoopBackOff",
  ]

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
