/// A node's kubelet, as far as it decides from a pod and the node alone: how a freshly bound pod gets
/// going (its volumes and image pulls), and the status it reports for the pod's runtime state. `Cluster`
/// records the events and moves the pod's runtime from these answers (`syncPods`).
enum Kubelet {
  /// How a pod bound to a node gets going.
  enum Preparation: Equatable, Sendable {
    /// A volume's ConfigMap or Secret does not exist: the mount fails, with the kubelet's words for the
    /// source, until it does.
    case waitForVolume(volume: String, source: String)
    /// A container's image does not exist in its registry.
    case pullFails(container: String, image: String)
    /// The containers start at `at`, after the pulls of the images the node lacked, in container order.
    case start(at: SimTime, pulls: [ImagePull])
  }

  /// One image the node pulls for a pod.
  struct ImagePull: Equatable, Sendable {
    /// The container whose image it is.
    var container: String
    /// The image as the container names it.
    var reference: String
    /// The repository the node's image cache keeps once the pull is done.
    var repository: String
    /// How long the pull takes.
    var duration: SimDuration
  }

  /// How `pod`, bound to a node whose cache holds `cachedImages`, gets going at `now`: its volumes'
  /// sources must exist, its images must exist, and each image the node lacks is pulled (once per
  /// repository) before the containers start, which takes a little more. Timings come from `rng`.
  static func prepare(
    _ pod: Pod, in store: ObjectStore, cachedImages: Set<String>, at now: SimTime, rng: inout SplitMix64
  ) -> Preparation {
    if let missing = missingVolumeSource(of: pod, in: store) { return .waitForVolume(volume: missing.volume, source: missing.source) }
    if let unknown = pod.spec.containers.first(where: { ContainerImage.lookup($0.image ?? "") == nil }), let image = unknown.image {
      return .pullFails(container: unknown.name, image: image)
    }
    var cached = cachedImages
    var pulls: [ImagePull] = []
    for container in pod.spec.containers {
      guard let reference = container.image, let image = ContainerImage.lookup(reference), !cached.contains(image.repository)
      else { continue }
      let duration = rng.duration(in: image.pullTime...(image.pullTime + .milliseconds(1_500)))
      pulls.append(ImagePull(container: container.name, reference: reference, repository: image.repository, duration: duration))
      cached.insert(image.repository)
    }
    let pulling = pulls.reduce(SimDuration(nanoseconds: 0)) { $0 + $1.duration }
    return .start(at: now + pulling + rng.duration(in: .milliseconds(600)...(.milliseconds(1_400))), pulls: pulls)
  }

  /// A volume whose non-optional ConfigMap or Secret does not exist, with the kubelet's words for it.
  static func missingVolumeSource(of pod: Pod, in store: ObjectStore) -> (volume: String, source: String)? {
    let namespace = pod.metadata.namespace ?? ""
    for volume in pod.spec.volumes ?? [] {
      if let source = volume.configMap, source.optional != true, store.configMap(source.name, in: namespace) == nil {
        return (volume.name, "configmap \"\(source.name)\" not found")
      }
      if let source = volume.secret, source.optional != true,
        store[ObjectKey(kind: .secret, namespace: namespace, name: source.secretName)] == nil
      {
        return (volume.name, "secret \"\(source.secretName)\" not found")
      }
    }
    return nil
  }

  /// CRI-O's id for a container of `pod` after `restarts` restarts (each makes a new container): 64
  /// hexadecimal digits drawn from a generator of their own, seeded by the pod's UID, the container's name
  /// and the restarts, so that a container keeps its id and the cluster's random streams draw nothing for it.
  static func containerID(of container: String, in pod: Pod, restarts: Int) -> String {
    var digits = SplitMix64(seed: Checksum.fnv1a(Array("\(pod.metadata.uid ?? "")/\(container)/\(restarts)".utf8)))
    return "cri-o://" + (0..<4).map { _ in Hex.digits(digits.next()) }.joined()
  }

  /// The API status the kubelet reports at `now` for a pod in the given runtime state.
  static func status(of pod: Pod, runtime: PodRuntime, at now: SimTime) -> PodStatus {
    var status = pod.status ?? PodStatus(phase: "Pending")
    let scheduled = pod.metadata.creationTimestamp ?? Timestamp(now)
    status.startTime = scheduled
    func condition(_ type: String, _ value: Bool, since: Timestamp) -> PodCondition {
      let previous = pod.status?.conditions?.first { $0.type == type }
      let text = value ? "True" : "False"
      if let previous, previous.status == text { return previous }
      return PodCondition(type: type, status: text, lastTransitionTime: since, reason: value ? nil : "ContainersNotReady")
    }
    let containers = pod.spec.containers
    func statuses(_ state: (Container) -> ContainerState, ready: (Container) -> Bool, restarts: (Container) -> Int = { _ in 0 })
      -> [ContainerStatus]
    {
      containers.map { container in
        let image = container.image ?? ""
        let known = ContainerImage.lookup(image)
        let state = state(container)
        let restarted = restarts(container)
        let created = state.running != nil || state.terminated != nil || restarted > 0
        // A container that restarted last ended as the greeter's failed start ends: exit status 1.
        let last = restarted > 0 ? ContainerState(terminated: .init(exitCode: 1, reason: "Error")) : ContainerState()
        return ContainerStatus(
          name: container.name, state: state, lastState: last, ready: ready(container), restartCount: restarted,
          image: image, imageID: known.map { "\($0.repository)@\($0.digest)" } ?? "",
          containerID: created ? containerID(of: container.name, in: pod, restarts: restarted) : nil, started: ready(container))
      }
    }
    var ready = false
    var readySince = Timestamp(now)
    switch runtime.phase {
    case .waitingForVolume, .starting:
      status.phase = "Pending"
      status.containerStatuses = statuses({ _ in ContainerState(waiting: .init(reason: "ContainerCreating")) }, ready: { _ in false })
    case .imagePullFailed(let image, let since):
      status.phase = "Pending"
      let backingOff = now - since >= .seconds(10)
      let waiting = backingOff
        ? ContainerState.Waiting(reason: "ImagePullBackOff", message: "Back-off pulling image \"\(image)\"")
        : ContainerState.Waiting(
          reason: "ErrImagePull",
          message: "rpc error: code = Unknown desc = reading manifest \(ContainerImage.tag(of: image)) in \(ContainerImage.repository(of: image)): manifest unknown")
      status.containerStatuses = statuses({ ContainerImage.lookup($0.image ?? "") == nil ? ContainerState(waiting: waiting) : ContainerState(waiting: .init(reason: "PodInitializing")) }, ready: { _ in false })
    case .running(let since):
      status.phase = "Running"
      ready = true
      readySince = Timestamp(since)
      status.containerStatuses = statuses({ _ in ContainerState(running: .init(startedAt: Timestamp(since))) }, ready: { _ in true })
    case .crashing(let since):
      status.phase = "Running"
      let restarts = crashLoopRestarts(since: since, now: now)
      var delay: Int64 = 10
      for _ in 0..<min(restarts, 5) { delay = min(delay * 2, 300) }
      let namespace = pod.metadata.namespace ?? ""
      func crashes(_ container: Container) -> Bool {
        container.image.flatMap(ContainerImage.lookup)?.behaviour == .quarkusGreeter
      }
      status.containerStatuses = statuses(
        { container in
          crashes(container)
            ? ContainerState(waiting: .init(
              reason: "CrashLoopBackOff",
              message: "back-off \(delay >= 60 ? "\(delay / 60)m\(delay % 60)s" : "\(delay)s") restarting failed container=\(container.name) pod=\(pod.metadata.name)_\(namespace)(\(pod.metadata.uid ?? ""))"))
            : ContainerState(running: .init(startedAt: Timestamp(since)))
        },
        ready: { !crashes($0) }, restarts: { crashes($0) ? restarts : 0 })
    }
    status.conditions = [
      condition("Initialized", true, since: scheduled),
      condition("Ready", ready, since: ready ? readySince : scheduled),
      condition("ContainersReady", ready, since: ready ? readySince : scheduled),
      condition("PodScheduled", true, since: scheduled),
    ]
    return status
  }

  /// A duration as Go's `time.Duration` prints it with milliseconds: `3.254s`.
  static func goSeconds(_ duration: SimDuration) -> String {
    (Double(duration.milliseconds) / 1_000).decimalText(digits: 3, trimmed: true) + "s"
  }

  /// Restarts a crash-looping container has had by `now`: back-off 10 s, doubling, capped at 5 minutes.
  static func crashLoopRestarts(since: SimTime, now: SimTime) -> Int {
    var restarts = 0
    var next = since + .seconds(10)
    var delay = SimDuration.seconds(10)
    while next <= now && restarts < 10_000 {
      restarts += 1
      delay = min(delay + delay, .seconds(300))
      next = next + delay
    }
    return restarts
  }
}
