extension Cluster {
  /// Scheduler and kubelets: bind new pods to nodes, pull images, start containers, publish pod status.
  ///
  /// Pods that found no room wait, marked unschedulable, until a node has room again; while none has,
  /// only new pods are looked at.
  mutating func syncPods() {
    if api.watches.podsAreSettled && runtimes.areIdle(at: now) { return }
    let start = lastResourceVersion
    // One look at every pod: the nodes' load, the pods to place, and the bound pods whose kubelet has work.
    // Placing a pod writes only that pod, so only those looked at again can have work after it.
    var load: [String: Int] = [:]
    var unbound: [Pod] = []
    var due: [Pod] = []
    store.forEachPod { pod in
      if let node = pod.spec.nodeName { load[node, default: 0] += 1 }
      let phase = runtimes.phase(of: pod.metadata.uid ?? "")
      if phase == nil || pod.spec.nodeName == nil {
        unbound.append(pod)
      } else if let phase, !api.watches.kubeletIsIdle(for: pod, in: phase, at: now) {
        due.append(pod)
      }
    }
    var scheduler = Scheduler(nodes: nodes, load: load)
    let room = scheduler.hasRoom
    unbound.sort(by: Self.inKeyOrder)
    let unscheduled = unbound.filter { room || $0.status?.conditions?.contains(where: { $0.type == "PodScheduled" }) != true }
    for pod in unscheduled { schedule(pod, with: &scheduler) }
    for pod in unbound {
      guard let placed = store.pod(PodRef(namespace: pod.metadata.namespace ?? "", name: pod.metadata.name)),
        let phase = runtimes.phase(of: placed.metadata.uid ?? ""), !api.watches.kubeletIsIdle(for: placed, in: phase, at: now)
      else { continue }
      due.append(placed)
    }
    due.sort(by: Self.inKeyOrder)
    for pod in due {
      guard let uid = pod.metadata.uid, var runtime = runtimes[uid] else { continue }
      advanceLifecycle(of: pod, runtime: &runtime)
      runtimes[uid] = runtime
      var updated = pod
      updated.status = Kubelet.status(of: pod, runtime: runtime, at: now)
      var resourceVersion = pod.metadata.resourceVersion
      if updated.status != pod.status {
        reportBackOff(from: pod, to: updated)
        write { version in
          updated.metadata.resourceVersion = version
          return .pod(updated)
        }
        resourceVersion = updated.metadata.resourceVersion
      }
      api.watches.recordSync(ofPod: uid, resourceVersion: resourceVersion, phase: runtime.phase)
    }
    api.watches.recordPodsPass(from: start, settled: unscheduled.isEmpty && due.isEmpty)
  }

  /// Pods in the store's order: by namespace, then name.
  private static func inKeyOrder(_ a: Pod, _ b: Pod) -> Bool {
    (a.metadata.namespace ?? "", a.metadata.name) < (b.metadata.namespace ?? "", b.metadata.name)
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
    status.podIPs = [PodIP(ip: podIP)]
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

  /// Records how a freshly bound pod gets going (`Kubelet.prepare`): the mount that fails, the image
  /// that cannot be pulled, or the pulls before its containers start.
  private mutating func prepare(_ pod: Pod) {
    guard let uid = pod.metadata.uid else { return }
    let host = pod.spec.nodeName
    let node = nodes.firstIndex { $0.name == pod.spec.nodeName } ?? 0
    switch Kubelet.prepare(pod, in: store, cachedImages: nodes[node].cachedImages, at: now, rng: &random.kubelet) {
    case .waitForVolume(let volume, let source):
      if runtimes[uid]?.phase != .waitingForVolume(source) {
        recordEvent(
          "FailedMount", "MountVolume.SetUp failed for volume \"\(volume)\" : \(source)", about: .pod(pod),
          type: "Warning", from: "kubelet", host: host)
      }
      runtimes[uid]?.phase = .waitingForVolume(source)
    case .pullFails(let container, let image):
      let field = "spec.containers{\(container)}"
      recordEvent("Pulling", "Pulling image \"\(image)\"", about: .pod(pod), from: "kubelet", host: host, fieldPath: field)
      recordEvent(
        "Failed",
        "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = reading manifest \(ContainerImage.tag(of: image)) in \(ContainerImage.repository(of: image)): manifest unknown",
        about: .pod(pod), type: "Warning", from: "kubelet", host: host, fieldPath: field)
      recordEvent("Failed", "Error: ErrImagePull", about: .pod(pod), type: "Warning", from: "kubelet", host: host, fieldPath: field)
      runtimes[uid]?.phase = .imagePullFailed(image: image, since: now)
    case .start(let startAt, let pulls):
      for pull in pulls {
        recordEvent(
          "Pulling", "Pulling image \"\(pull.reference)\"", about: .pod(pod), from: "kubelet", host: host,
          fieldPath: "spec.containers{\(pull.container)}")
        runtimes[uid]?.pulls[pull.reference] = pull.duration
        nodes[node].cachedImages.insert(pull.repository)
      }
      runtimes[uid]?.phase = .starting(startAt: startAt)
    }
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
        let seconds = Kubelet.goSeconds(pulled)
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
        telemetry.appendLog(
          pod: pod, container: container.name,
          lines.enumerated().map { LogLine(time: startAt + .milliseconds(Int64($0 * 40)), text: $1) })
      case .istioProxy:
        telemetry.appendLog(pod: pod, container: container.name, istioProxyStartupLog(of: pod, at: startAt))
        let debug = ["debug", "trace"].contains(pod.proxyLogLevel)
        runtime.proxy = EnvoyProxy(
          firstConnectionID: 30 + Int(random.kubelet.next() % 40),
          debugLog: debug ? telemetry.logID(ContainerLogKey(podUID: pod.metadata.uid ?? "", container: container.name)) : nil)
      case .fortio:
        runtime.appContainer = container.name
        telemetry.appendLog(
          pod: pod, container: container.name, FortioApp.startupLog.map { LogLine(time: startAt + .milliseconds(3), text: $0) })
      case .httpbin:
        runtime.appContainer = container.name
        telemetry.appendLog(
          pod: pod, container: container.name,
          HTTPBinApp.startupLog(port: HTTPBinApp.port(of: container)).map {
            LogLine(time: startAt + .milliseconds(5), text: "\(HTTPBinApp.stamp(startAt)) \($0)")
          })
      case .quarkusGreeter:
        switch readGreeterConfig(of: pod, container: container, at: startAt) {
        case .success(let config):
          runtime.config = config
          runtime.appContainer = container.name
          runtime.errorIDPrefix = newUID()
          telemetry.appendLog(pod: pod, container: container.name, Self.greeterStartupLog(at: startAt, rng: &random.kubelet))
        case .failure(let failure):
          telemetry.appendLog(pod: pod, container: container.name, failure.log.map { LogLine(time: startAt, text: $0) })
          runtime.phase = .crashing(since: startAt)
          return
        }
      }
    }
    runtime.phase = .running(since: startAt)
  }
}
