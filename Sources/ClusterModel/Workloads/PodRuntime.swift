/// What the kubelet knows about one pod beyond its API object: its lifecycle and the app's view of its files.
struct PodRuntime: Equatable, Sendable, Codable {
  /// The lifecycle of the pod's containers (all containers of a pod move together in the model).
  enum Phase: Equatable, Sendable, Codable {
    /// Waiting for a volume source (a ConfigMap or Secret) that does not exist.
    case waitingForVolume(String)
    /// Pulling images and starting containers; running from `startAt`.
    case starting(startAt: SimTime)
    /// An image could not be pulled since the given time.
    case imagePullFailed(image: String, since: SimTime)
    /// Containers running since the given time.
    case running(since: SimTime)
    /// The app exits at start-up; first failure at the given time.
    case crashing(since: SimTime)

    /// Whether a kubelet that synced a pod in this phase has nothing to do for it at `now`: its containers
    /// run, or start later. Pods waiting for a volume, or backing off, are looked at every time.
    func isIdle(at now: SimTime) -> Bool {
      busyFrom.map { now < $0 } ?? true
    }

    /// From when a kubelet has something to do for a pod in this phase; nil when never.
    var busyFrom: SimTime? {
      switch self {
      case .running: nil
      case .starting(let startAt): startAt
      case .waitingForVolume, .imagePullFailed, .crashing: SimTime(nanoseconds: .min)
      }
    }
  }

  var phase: Phase
  /// The app's configuration, read once at start-up as Quarkus does.
  var config: AppConfig?
  /// Counts requests that failed inside the app (Quarkus error ids end in this counter).
  var errorCount = 0
  /// Random part of Quarkus error ids, fixed per process.
  var errorIDPrefix = ""
  /// The pod's Envoy sidecar, once it runs.
  var proxy: EnvoyProxy?
  /// The container that runs the greeter, once it started.
  var appContainer: String?
  /// How long each image took to pull on the pod's node; absent when the node already had it.
  var pulls: [String: SimDuration] = [:]
  /// When the containers of a pod being deleted have stopped, and the kubelet removes it.
  var stopsAt: SimTime?

  /// When the kubelet next has work for this pod, or its containers stop; nil when never, while the pod
  /// does not change.
  var wakes: SimTime? {
    [phase.busyFrom, stopsAt].compactMap { $0 }.min()
  }
}

/// The settings the greeter app reads from `/deployments/config/application.properties`.
struct AppConfig: Equatable, Sendable, Codable {
  var numRequest: Int
  var host: String
  var testString: String
}
