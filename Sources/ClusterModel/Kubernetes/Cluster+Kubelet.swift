extension Cluster {
  /// Scheduler and kubelets: bind new pods to nodes, pull images, start containers, publish pod status.
  mutating func syncPods() {
    for pod in store.pods() where runtimes[pod.metadata.uid ?? ""] == nil || pod.spec.nodeName == nil {
      schedule(pod)
    }
    for pod in store.pods() {
      guard let uid = pod.metadata.uid, var runtime = runtimes[uid] else { continue }
      advanceLifecycle(of: pod, runtime: &runtime)
      runtimes[uid] = runtime
      var updated = pod
      updated.status = status(of: pod, runtime: runtime)
      if updated != pod { write(.pod(updated)) }
    }
  }

  /// Binds `pod` to the least loaded worker and gives it an address.
  private mutating func schedule(_ pod: Pod) {
    var pod = pod
    let counts = nodes.map { node in store.pods().filter { $0.spec.nodeName == node.name }.count }
    let index = counts.indices.min { counts[$0] < counts[$1] } ?? 0
    pod.spec.nodeName = nodes[index].name
    var status = PodStatus(phase: "Pending")
    status.hostIP = nodes[index].internalIP
    status.podIP = nodes[index].allocatePodIP()
    status.qosClass = "BestEffort"
    pod.status = status
    write(.pod(pod))
    runtimes[pod.metadata.uid ?? ""] = PodRuntime(phase: .starting(startAt: now), config: nil)
    prepare(pod)
  }

  /// Works out when a freshly scheduled pod's containers can start, or why they cannot.
  private mutating func prepare(_ pod: Pod) {
    guard let uid = pod.metadata.uid else { return }
    if let missing = missingVolumeSource(of: pod) {
      runtimes[uid]?.phase = .waitingForVolume(missing)
      return
    }
    let images = pod.spec.containers.compactMap(\.image)
    if let unknown = images.first(where: { ContainerImage.lookup($0) == nil }) {
      runtimes[uid]?.phase = .imagePullFailed(image: unknown, since: now)
      return
    }
    let nodeIndex = nodes.firstIndex { $0.name == pod.spec.nodeName } ?? 0
    var pull = SimDuration(nanoseconds: 0)
    for image in images.compactMap(ContainerImage.lookup) where !nodes[nodeIndex].cachedImages.contains(image.repository) {
      pull = pull + rng.duration(in: image.pullTime...(image.pullTime + .milliseconds(1_500)))
      nodes[nodeIndex].cachedImages.insert(image.repository)
    }
    let start = now + pull + rng.duration(in: .milliseconds(600)...(.milliseconds(1_400)))
    runtimes[uid]?.phase = .starting(startAt: start)
  }

  /// The name of a ConfigMap or Secret that a non-optional volume needs and that does not exist.
  private func missingVolumeSource(of pod: Pod) -> String? {
    let namespace = pod.metadata.namespace ?? ""
    for volume in pod.spec.volumes ?? [] {
      if let source = volume.configMap, source.optional != true, store.configMap(source.name, in: namespace) == nil {
        return "configmap \"\(source.name)\" not found"
      }
      if let source = volume.secret, source.optional != true,
        store[ObjectKey(kind: .secret, namespace: namespace, name: source.secretName)] == nil
      {
        return "secret \"\(source.secretName)\" not found"
      }
    }
    return nil
  }

  /// Moves a pod's lifecycle forward to `now`: retries mounts, starts containers, writes start-up logs.
  private mutating func advanceLifecycle(of pod: Pod, runtime: inout PodRuntime) {
    if case .waitingForVolume = runtime.phase {
      runtimes[pod.metadata.uid ?? ""] = runtime
      prepare(pod)
      runtime = runtimes[pod.metadata.uid ?? ""] ?? runtime
    }
    guard case .starting(let startAt) = runtime.phase, startAt <= now else { return }
    for container in pod.spec.containers {
      guard let image = container.image.flatMap(ContainerImage.lookup) else { continue }
      switch image.behaviour {
      case .platform(let lines):
        for (offset, line) in lines.enumerated() {
          telemetry.appendLog(pod: pod, container: container.name, at: startAt + .milliseconds(Int64(offset * 40)), line)
        }
      case .istioProxy:
        for line in istioProxyStartupLog(of: pod, at: startAt) {
          telemetry.appendLog(pod: pod, container: container.name, at: line.time, line.text)
        }
        let debug = ["debug", "trace"].contains(pod.proxyLogLevel)
        runtime.proxy = EnvoyProxy(
          firstConnectionID: 30 + Int(rng.next() % 40),
          debugLog: debug ? ContainerLogKey(podUID: pod.metadata.uid ?? "", container: container.name) : nil)
      case .quarkusGreeter:
        switch readGreeterConfig(of: pod, container: container, at: startAt) {
        case .success(let config):
          runtime.config = config
          runtime.appContainer = container.name
          runtime.errorIDPrefix = newUID()
          for line in Self.greeterStartupLog(at: startAt, rng: &rng) {
            telemetry.appendLog(pod: pod, container: container.name, at: line.time, line.text)
          }
        case .failure(let failure):
          for line in failure.log {
            telemetry.appendLog(pod: pod, container: container.name, at: startAt, line)
          }
          runtime.phase = .crashing(since: startAt)
          return
        }
      }
    }
    runtime.phase = .running(since: startAt)
  }

  /// The API status the kubelet reports for a pod in the given runtime state.
  private func status(of pod: Pod, runtime: PodRuntime) -> PodStatus {
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
    func statuses(_ state: (Container) -> ContainerState, ready: Bool, restarts: Int = 0) -> [ContainerStatus] {
      containers.map { container in
        let image = container.image ?? ""
        let known = ContainerImage.lookup(image)
        return ContainerStatus(
          name: container.name, state: state(container), ready: ready, restartCount: restarts, image: image,
          imageID: known.map { "\($0.repository)@\($0.digest)" } ?? "", started: ready)
      }
    }
    var ready = false
    var readySince = Timestamp(now)
    switch runtime.phase {
    case .waitingForVolume, .starting:
      status.phase = "Pending"
      status.containerStatuses = statuses({ _ in ContainerState(waiting: .init(reason: "ContainerCreating")) }, ready: false)
    case .imagePullFailed(let image, let since):
      status.phase = "Pending"
      let backingOff = now - since >= .seconds(10)
      let waiting = backingOff
        ? ContainerState.Waiting(reason: "ImagePullBackOff", message: "Back-off pulling image \"\(image)\"")
        : ContainerState.Waiting(
          reason: "ErrImagePull",
          message: "rpc error: code = Unknown desc = reading manifest latest in \(ContainerImage.repository(of: image)): manifest unknown")
      status.containerStatuses = statuses({ ContainerImage.lookup($0.image ?? "") == nil ? ContainerState(waiting: waiting) : ContainerState(waiting: .init(reason: "PodInitializing")) }, ready: false)
    case .running(let since):
      status.phase = "Running"
      ready = true
      readySince = Timestamp(since)
      status.containerStatuses = statuses({ _ in ContainerState(running: .init(startedAt: Timestamp(since))) }, ready: true)
    case .crashing(let since):
      status.phase = "Running"
      let restarts = Self.crashLoopRestarts(since: since, now: now)
      status.containerStatuses = statuses(
        { _ in ContainerState(waiting: .init(reason: "CrashLoopBackOff", message: "back-off restarting failed container")) },
        ready: false, restarts: restarts)
    }
    status.conditions = [
      condition("Initialized", true, since: scheduled),
      condition("Ready", ready, since: ready ? readySince : scheduled),
      condition("ContainersReady", ready, since: ready ? readySince : scheduled),
      condition("PodScheduled", true, since: scheduled),
    ]
    return status
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
