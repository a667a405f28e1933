extension Cluster {
  /// Scheduler and kubelets: bind new pods to nodes, pull images, start containers, publish pod status.
  ///
  /// Pods that found no room wait, marked unschedulable, until a node has room again; while none has,
  /// only new pods are looked at.
  mutating func syncPods() {
    if api.watches.podsAreSettled && runtimes.values.allSatisfy({ $0.phase.isIdle(at: now) }) { return }
    let start = lastResourceVersion
    var load: [String: Int] = [:]
    store.forEachPod { pod in if let node = pod.spec.nodeName { load[node, default: 0] += 1 } }
    var scheduler = Scheduler(nodes: nodes, load: load)
    let room = scheduler.hasRoom
    let unscheduled = store.pods { pod in
      guard runtimes[pod.metadata.uid ?? ""] == nil || pod.spec.nodeName == nil else { return false }
      return room || pod.status?.conditions?.contains(where: { $0.type == "PodScheduled" }) != true
    }
    for pod in unscheduled { schedule(pod, with: &scheduler) }
    let due = store.pods { pod in
      guard let runtime = runtimes[pod.metadata.uid ?? ""] else { return false }
      return !api.watches.kubeletIsIdle(for: pod, in: runtime.phase, at: now)
    }
    for pod in due {
      guard let uid = pod.metadata.uid, var runtime = runtimes[uid] else { continue }
      advanceLifecycle(of: pod, runtime: &runtime)
      runtimes[uid] = runtime
      var updated = pod
      updated.status = status(of: pod, runtime: runtime)
      var resourceVersion = pod.metadata.resourceVersion
      if updated.status != pod.status {
        reportBackOff(from: pod, to: updated)
        resourceVersion = write(.pod(updated)).metadata.resourceVersion
      }
      api.watches.recordSync(ofPod: uid, resourceVersion: resourceVersion, phase: runtime.phase)
    }
    api.watches.recordPodsPass(from: start, settled: unscheduled.isEmpty && due.isEmpty)
  }

  /// The kubelet's events when a container starts backing off: pulling its image, or restarting it.
  private mutating func reportBackOff(from old: Pod, to new: Pod) {
    for status in new.status?.containerStatuses ?? [] {
      let reason = status.state.waiting?.reason
      let before = old.status?.containerStatuses?.first { $0.name == status.name }
      guard reason != before?.state.waiting?.reason || status.restartCount != before?.restartCount else { continue }
      let field = "spec.containers{\(status.name)}"
      let host = new.spec.nodeName
      let namespace = new.metadata.namespace ?? ""
      switch reason {
      case "ImagePullBackOff":
        recordEvent("BackOff", "Back-off pulling image \"\(status.image)\"", about: .pod(new), from: "kubelet", host: host, fieldPath: field)
        recordEvent(
          "Failed", "Error: ImagePullBackOff", about: .pod(new), type: "Warning", from: "kubelet", host: host, fieldPath: field)
      case "CrashLoopBackOff":
        recordEvent(
          "BackOff",
          "Back-off restarting failed container \(status.name) in pod \(new.metadata.name)_\(namespace)(\(new.metadata.uid ?? ""))",
          about: .pod(new), type: "Warning", from: "kubelet", host: host, fieldPath: field)
      default:
        break
      }
    }
  }

  /// Binds `pod` where `scheduler` places it and gives it an address; a pod that fits nowhere stays
  /// `Pending`, with the scheduler's reasons in its `PodScheduled` condition and one event.
  private mutating func schedule(_ pod: Pod, with scheduler: inout Scheduler) {
    guard let index = scheduler.place(), let podIP = nodes[index].allocatePodIP() else {
      reportUnschedulable(pod, message: scheduler.reasons())
      return
    }
    scheduler.bind(to: index)
    var pod = pod
    pod.spec.nodeName = nodes[index].name
    var status = PodStatus(phase: "Pending")
    status.hostIP = nodes[index].internalIP
    status.podIP = podIP
    status.qosClass = Self.qosClass(of: pod.spec)
    pod.status = status
    write(.pod(pod))
    let namespace = pod.metadata.namespace ?? ""
    recordEvent(
      "Scheduled", "Successfully assigned \(namespace)/\(pod.metadata.name) to \(nodes[index].name)", about: .pod(pod),
      from: "default-scheduler")
    recordEvent("AddedInterface", "Add eth0 [\(podIP)/23] from ovn-kubernetes", about: .pod(pod), from: "multus")
    runtimes[pod.metadata.uid ?? ""] = PodRuntime(phase: .starting(startAt: now), config: nil)
    prepare(pod)
  }

  /// Marks a pod no node has room for, as the scheduler does on its first failed attempt.
  private mutating func reportUnschedulable(_ pod: Pod, message: String) {
    guard pod.status?.conditions?.contains(where: { $0.type == "PodScheduled" }) != true else { return }
    var pending = pod
    var status = pod.status ?? PodStatus(phase: "Pending")
    status.qosClass = Self.qosClass(of: pod.spec)
    status.conditions = [
      PodCondition(
        type: "PodScheduled", status: "False", lastProbeTime: nil, lastTransitionTime: Timestamp(now), reason: "Unschedulable",
        message: message)
    ]
    pending.status = status
    write(.pod(pending))
    recordEvent("FailedScheduling", message, about: .pod(pending), type: "Warning", from: "default-scheduler")
  }

  /// Works out when a freshly scheduled pod's containers can start, or why they cannot.
  private mutating func prepare(_ pod: Pod) {
    guard let uid = pod.metadata.uid else { return }
    let host = pod.spec.nodeName
    if let missing = missingVolumeSource(of: pod) {
      if runtimes[uid]?.phase != .waitingForVolume(missing.source) {
        recordEvent(
          "FailedMount", "MountVolume.SetUp failed for volume \"\(missing.volume)\" : \(missing.source)", about: .pod(pod),
          type: "Warning", from: "kubelet", host: host)
      }
      runtimes[uid]?.phase = .waitingForVolume(missing.source)
      return
    }
    if let unknown = pod.spec.containers.first(where: { ContainerImage.lookup($0.image ?? "") == nil }), let image = unknown.image {
      let field = "spec.containers{\(unknown.name)}"
      recordEvent("Pulling", "Pulling image \"\(image)\"", about: .pod(pod), from: "kubelet", host: host, fieldPath: field)
      recordEvent(
        "Failed",
        "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = reading manifest \(ContainerImage.tag(of: image)) in \(ContainerImage.repository(of: image)): manifest unknown",
        about: .pod(pod), type: "Warning", from: "kubelet", host: host, fieldPath: field)
      recordEvent("Failed", "Error: ErrImagePull", about: .pod(pod), type: "Warning", from: "kubelet", host: host, fieldPath: field)
      runtimes[uid]?.phase = .imagePullFailed(image: image, since: now)
      return
    }
    let nodeIndex = nodes.firstIndex { $0.name == pod.spec.nodeName } ?? 0
    var pull = SimDuration(nanoseconds: 0)
    for container in pod.spec.containers {
      guard let reference = container.image, let image = ContainerImage.lookup(reference),
        !nodes[nodeIndex].cachedImages.contains(image.repository)
      else { continue }
      recordEvent(
        "Pulling", "Pulling image \"\(reference)\"", about: .pod(pod), from: "kubelet", host: host,
        fieldPath: "spec.containers{\(container.name)}")
      let duration = random.kubelet.duration(in: image.pullTime...(image.pullTime + .milliseconds(1_500)))
      pull = pull + duration
      runtimes[uid]?.pulls[reference] = duration
      nodes[nodeIndex].cachedImages.insert(image.repository)
    }
    let start = now + pull + random.kubelet.duration(in: .milliseconds(600)...(.milliseconds(1_400)))
    runtimes[uid]?.phase = .starting(startAt: start)
  }

  /// A volume whose non-optional ConfigMap or Secret does not exist, with the kubelet's words for it.
  private func missingVolumeSource(of pod: Pod) -> (volume: String, source: String)? {
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

  /// Moves a pod's lifecycle forward to `now`: retries mounts, starts containers, writes start-up logs.
  private mutating func advanceLifecycle(of pod: Pod, runtime: inout PodRuntime) {
    if case .waitingForVolume = runtime.phase {
      runtimes[pod.metadata.uid ?? ""] = runtime
      prepare(pod)
      runtime = runtimes[pod.metadata.uid ?? ""] ?? runtime
    }
    guard case .starting(let startAt) = runtime.phase, startAt <= now else { return }
    for container in pod.spec.containers {
      guard let reference = container.image, let image = ContainerImage.lookup(reference) else { continue }
      let field = "spec.containers{\(container.name)}"
      let host = pod.spec.nodeName
      if let pulled = runtime.pulls[reference] {
        let seconds = Self.goSeconds(pulled)
        recordEvent(
          "Pulled", "Successfully pulled image \"\(reference)\" in \(seconds) (\(seconds) including waiting)", about: .pod(pod),
          from: "kubelet", host: host, fieldPath: field, at: startAt)
      } else {
        recordEvent(
          "Pulled", "Container image \"\(reference)\" already present on machine", about: .pod(pod), from: "kubelet", host: host,
          fieldPath: field, at: startAt)
      }
      recordEvent("Created", "Created container \(container.name)", about: .pod(pod), from: "kubelet", host: host, fieldPath: field, at: startAt)
      recordEvent("Started", "Started container \(container.name)", about: .pod(pod), from: "kubelet", host: host, fieldPath: field, at: startAt)
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
          firstConnectionID: 30 + Int(random.kubelet.next() % 40),
          debugLog: debug ? telemetry.logID(ContainerLogKey(podUID: pod.metadata.uid ?? "", container: container.name)) : nil)
      case .fortio:
        runtime.appContainer = container.name
        for line in FortioApp.startupLog {
          telemetry.appendLog(pod: pod, container: container.name, at: startAt + .milliseconds(3), line)
        }
      case .httpbin:
        runtime.appContainer = container.name
        for line in HTTPBinApp.startupLog(port: HTTPBinApp.port(of: container)) {
          telemetry.appendLog(pod: pod, container: container.name, at: startAt + .milliseconds(5), "\(HTTPBinApp.stamp(startAt)) \(line)")
        }
      case .quarkusGreeter:
        switch readGreeterConfig(of: pod, container: container, at: startAt) {
        case .success(let config):
          runtime.config = config
          runtime.appContainer = container.name
          runtime.errorIDPrefix = newUID()
          for line in Self.greeterStartupLog(at: startAt, rng: &random.kubelet) {
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
    func statuses(_ state: (Container) -> ContainerState, ready: (Container) -> Bool, restarts: (Container) -> Int = { _ in 0 })
      -> [ContainerStatus]
    {
      containers.map { container in
        let image = container.image ?? ""
        let known = ContainerImage.lookup(image)
        return ContainerStatus(
          name: container.name, state: state(container), ready: ready(container), restartCount: restarts(container), image: image,
          imageID: known.map { "\($0.repository)@\($0.digest)" } ?? "", started: ready(container))
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
      let restarts = Self.crashLoopRestarts(since: since, now: now)
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
