extension Cluster {
  /// How long the app takes to stop on SIGTERM: Quarkus closes its gRPC server at once.
  static let appShutdown = SimDuration.seconds(1)
  /// The grace period the model counts at most (a century): a larger one is as good as forever, and
  /// would overflow the clock.
  static let longestGrace = 100 * 365 * 86_400
  /// How long an Istio sidecar drains its connections before it stops (`terminationDrainDuration`).
  static let sidecarDrain = SimDuration.seconds(5)

  /// When the containers of a terminating pod stop and the pod goes away, or a terminating namespace's
  /// last pod does and the namespace goes with it; nil for an object that is not terminating.
  public func terminationEnd(of key: ObjectKey) -> SimTime? {
    switch store[key] {
    case .pod(let pod)? where pod.metadata.deletionTimestamp != nil:
      return runtimes[pod.metadata.uid ?? ""]?.stopsAt
    case .namespace(let namespace)? where namespace.metadata.deletionTimestamp != nil:
      return store.pods(in: namespace.metadata.name).compactMap { runtimes[$0.metadata.uid ?? ""]?.stopsAt }.max() ?? now
    default:
      return nil
    }
  }

  /// Marks a pod whose containers started as terminating, with the kubelet's `Killing` events; returns
  /// false for a pod that can go at once (nothing started), or is already terminating.
  mutating func beginTermination(of pod: Pod) -> Bool {
    guard let uid = pod.metadata.uid, var runtime = runtimes[uid] else { return false }
    if pod.metadata.deletionTimestamp != nil { return true }
    switch runtime.phase {
    case .running, .crashing: break
    case .waitingForVolume, .starting, .imagePullFailed: return false
    }
    let grace = SimDuration.seconds(Int64(min(max(pod.spec.terminationGracePeriodSeconds ?? 30, 0), Self.longestGrace)))
    var terminating = pod
    terminating.metadata.deletionTimestamp = Timestamp(now + grace)
    let sidecar = pod.spec.containers.contains { $0.name == "istio-proxy" }
    runtime.stopsAt = now + (sidecar ? Self.sidecarDrain : Self.appShutdown)
    runtimes[uid] = runtime
    for container in pod.spec.containers {
      recordEvent(
        "Killing", "Stopping container \(container.name)", about: .pod(pod), from: "kubelet", host: pod.spec.nodeName,
        fieldPath: "spec.containers{\(container.name)}")
    }
    write(.pod(terminating))
    return true
  }

  /// The kubelet removes the terminating pods whose containers have stopped; it looks for them only when
  /// some pod's containers have.
  mutating func finishTerminations() {
    guard runtimes.someStopped(by: now) else { return }
    for pod in store.pods(where: { $0.metadata.deletionTimestamp != nil }) {
      guard let stopsAt = runtimes[pod.metadata.uid ?? ""]?.stopsAt, stopsAt <= now else { continue }
      remove(APIObject.pod(pod).key)
    }
  }
}
