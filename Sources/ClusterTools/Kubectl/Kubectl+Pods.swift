import ClusterModel

extension Kubectl {
  /// The pod a `logs`/`exec` target names: `POD`, `pod/POD`, or `deploy/NAME`: of its pods, the one kubectl
  /// picks (`podutils.ByLogging` for logs, the most active for exec: scheduled, running, ready, ready the
  /// longest, then for logs the most restarted and for exec the least, then the oldest), with a notice.
  func resolvePod(_ target: String, flags: Flags, forLogs: Bool = false) throws(KubectlError) -> (pod: Pod, notice: String) {
    let namespace = namespace(flags)
    let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
    if parts.count == 2, let kind = Self.kind(named: parts[0]), kind != .pod {
      guard let owner = cluster.store[ObjectKey(kind: kind, namespace: namespace, name: parts[1])] else {
        throw KubectlError("Error from server (NotFound): \(kind.qualifiedPlural) \"\(parts[1])\" not found")
      }
      guard let selected = Self.pods(selectedBy: owner, in: cluster) else {
        throw KubectlError("error: cannot attach to \(kind.rawValue): selector for \(kind.rawValue) not implemented")
      }
      let pods = selected.sorted { Self.picksFirst($0, over: $1, forLogs: forLogs) }
      guard let pod = pods.first else {
        throw KubectlError("error: no pods found for \(kind == .deployment ? "deployment" : kind.singular) \"\(parts[1])\"")
      }
      return (pod, pods.count > 1 ? "Found \(pods.count) pods, using pod/\(pod.metadata.name)\n" : "")
    }
    if parts.count == 2 && Self.kind(named: parts[0]) == nil {
      throw KubectlError("error: the server doesn't have a resource type \"\(parts[0])\"")
    }
    let podName = parts.last ?? target
    guard let pod = cluster.store.pod(PodRef(namespace: namespace, name: podName)) else {
      throw KubectlError("Error from server (NotFound): pods \"\(podName)\" not found")
    }
    return (pod, "")
  }

  /// Whether kubectl picks `a` before `b` among a workload's pods, as `resolvePod` says.
  static func picksFirst(_ a: Pod, over b: Pod, forLogs: Bool) -> Bool {
    let assigned = (a.spec.nodeName != nil, b.spec.nodeName != nil)
    if assigned.0 != assigned.1 { return assigned.0 }
    // ByLogging ranks Running, then Unknown, then Pending, any other phase with Running; exec's reversed
    // ActivePods ranks Running, then Unknown, any other phase with Pending.
    let phase = { (pod: Pod) -> Int in
      forLogs ? ["Unknown": 1, "Pending": 2][pod.status?.phase ?? ""] ?? 0 : ["Running": 0, "Unknown": 1][pod.status?.phase ?? ""] ?? 2
    }
    if phase(a) != phase(b) { return phase(a) < phase(b) }
    if a.isReady != b.isReady { return a.isReady }
    func readySince(_ pod: Pod) -> SimTime? {
      pod.status?.conditions?.first { $0.type == "Ready" && $0.status == "True" }?.lastTransitionTime?.time
    }
    if a.isReady, let since = readySince(a), let other = readySince(b), since != other { return since < other }
    func restarts(_ pod: Pod) -> Int { pod.status?.containerStatuses?.map(\.restartCount).max() ?? 0 }
    if restarts(a) != restarts(b) { return forLogs ? restarts(a) > restarts(b) : restarts(a) < restarts(b) }
    let created = (a.metadata.creationTimestamp?.time, b.metadata.creationTimestamp?.time)
    if let first = created.0, let second = created.1, first != second { return first < second }
    return a.metadata.name < b.metadata.name
  }

  /// The pods a Deployment, ReplicaSet or Service selects, in name order; nil for a kind without a pod
  /// selector.
  static func pods(selectedBy owner: APIObject, in cluster: Cluster) -> [Pod]? {
    let selector: LabelSelector
    switch owner {
    case .deployment(let d): selector = d.spec.selector
    case .replicaSet(let r): selector = r.spec.selector
    case .service(let s): selector = LabelSelector(matchLabels: s.spec.selector ?? [:])
    default: return nil
    }
    return cluster.store.pods(in: owner.metadata.namespace ?? "") { selector.matches($0.metadata.labelSet) }
  }

  /// The container `-c` names, or the pod's default (with kubectl's notice when it had to choose).
  func container(of pod: Pod, flags: Flags) throws(KubectlError) -> (name: String, notice: String) {
    let names = pod.spec.containers.map(\.name)
    if let requested = flags.value("container") {
      guard names.contains(requested) else {
        throw KubectlError("error: container \(requested) is not valid for pod \(pod.metadata.name)")
      }
      return (requested, "")
    }
    if let annotated = pod.metadata.annotation("kubectl.kubernetes.io/default-container"), names.contains(annotated) {
      return (annotated, "")
    }
    let first = names.first ?? ""
    return (first, names.count > 1 ? "Defaulted container \"\(first)\" out of: \(names.joined(separator: ", "))\n" : "")
  }

  /// `oc logs POD|TYPE/NAME [-c C] [--tail N] [--timestamps]`, or `oc logs -l SELECTOR [--prefix]`: every
  /// matching pod's log in name order, the last 10 lines of each unless `--tail` says otherwise.
  mutating func logs(_ flags: Flags) throws(KubectlError) -> ToolResult {
    if flags.positional.isEmpty, let text = flags.value("selector") {
      let selector: LabelSelector
      do { selector = try LabelSelector(parsing: text) } catch { throw KubectlError(server: error) }
      let pods = cluster.store.pods(in: namespace(flags)) { selector.matches($0.metadata.labelSet) }
      guard !pods.isEmpty else { return ToolResult(stderr: "No resources found in \(namespace(flags)) namespace.\n") }
      let limit = Self.maxLogRequests(flags)
      if flags.isSet("follow"), pods.count > limit {
        throw KubectlError(
          "error: you are attempting to follow \(pods.count) log streams, but maximum allowed concurrency is \(limit), use --max-log-requests to increase the limit")
      }
      var result = ToolResult()
      for pod in pods {
        let (container, defaulted) = try container(of: pod, flags: flags)
        let prefix = Self.logPrefix(pod: pod.metadata.name, container: container, flags: flags)
        result.append(outputOf: ToolResult(stderr: defaulted))
        result.append(outputOf: ToolResult(stdout: try logLines(of: pod, container: container, flags: flags, defaultTail: 10).map { prefix + $0 }.joined()))
      }
      return result
    }
    guard let target = flags.positional.first else {
      throw KubectlError("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee '\(name) logs -h' for help and examples")
    }
    var flags = flags
    if flags.positional.count > 1, flags.value("container") == nil {
      flags = try Flags(parsing: ["-c", flags.positional[1], target], allowed: ["container"])
    }
    let (pod, notice) = try resolvePod(target, flags: flags, forLogs: true)
    let (container, defaulted) = try container(of: pod, flags: flags)
    var result = ToolResult(stderr: notice + defaulted)
    result.append(outputOf: ToolResult(stdout: try logLines(of: pod, container: container, flags: flags).joined()))
    return result
  }

  /// The lines of a container's log as `logs` prints them: the last `--tail` ones (else `defaultTail`,
  /// all when nil), with `--timestamps`.
  private func logLines(of pod: Pod, container: String, flags: Flags, defaultTail: Int? = nil) throws(KubectlError) -> [String] {
    if let status = pod.status?.containerStatuses?.first(where: { $0.name == container }),
      let reason = status.state.waiting?.reason, status.restartCount == 0
    {
      throw KubectlError("Error from server (BadRequest): container \"\(container)\" in pod \"\(pod.metadata.name)\" is waiting to start: \(reason == "ImagePullBackOff" || reason == "ErrImagePull" ? "trying and failing to pull image" : reason)")
    }
    var lines = cluster.telemetry.log(podUID: pod.metadata.uid ?? "", container: container)
    var tail = defaultTail
    if let count = flags.integer("tail") { tail = count >= 0 ? count : nil }
    if let tail { lines = Array(lines.suffix(tail)) }
    return lines.map { Self.logText($0, timestamps: flags.isSet("timestamps")) }
  }

  /// A log line as `logs` prints it: after its time with `--timestamps`.
  static func logText(_ line: LogLine, timestamps: Bool) -> String {
    (timestamps ? line.time.rfc3339Nano + " " : "") + line.text + "\n"
  }

  /// What `logs --prefix` puts before each line of a pod's container: `[pod/NAME/CONTAINER] `.
  static func logPrefix(pod: String, container: String, flags: Flags) -> String {
    flags.isSet("prefix") ? "[pod/\(pod)/\(container)] " : ""
  }

  /// How many logs `logs -f -l` follows at once at most: `--max-log-requests`, 5 unless it says otherwise.
  static func maxLogRequests(_ flags: Flags) -> Int {
    flags.integer("max-log-requests") ?? 5
  }

  /// `oc exec POD|TYPE/NAME [-c C] -- COMMAND [ARGS…]`: runs a modelled program in the container.
  mutating func exec(_ flags: Flags) throws(KubectlError) -> ToolResult {
    guard let target = flags.positional.first else {
      throw KubectlError("error: pod, type/name or --filename must be specified")
    }
    if !flags.sawDashDash && flags.positional.count > 1 {
      throw KubectlError("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee '\(name) exec -h' for help and examples")
    }
    guard let program = flags.command.first else {
      throw KubectlError("error: you must specify at least one command for the container")
    }
    let (pod, notice) = try resolvePod(target, flags: flags)
    let (container, defaulted) = try container(of: pod, flags: flags)
    guard pod.status?.containerStatuses?.first(where: { $0.name == container })?.state.running != nil else {
      throw KubectlError("error: unable to upgrade connection: container not found (\"\(container)\")")
    }
    let ref = PodRef(namespace: pod.metadata.namespace ?? "", name: pod.metadata.name)
    var result: ToolResult
    switch program {
    case "curl":
      var curl = Curl(cluster: cluster, pod: ref)
      result = curl.run(Array(flags.command.dropFirst()))
      cluster = curl.cluster
    case let fortio where ["fortio", "/usr/bin/fortio"].contains(fortio) && Self.image(of: container, in: pod)?.behaviour == .fortio:
      var fortio = Fortio(cluster: cluster, pod: ref)
      result = fortio.run(Array(flags.command.dropFirst()))
      cluster = fortio.cluster
    case "hostname":
      result = ToolResult(stdout: pod.metadata.name + "\n")
    case "pilot-agent" where container == "istio-proxy":
      let arguments = Array(flags.command.dropFirst())
      guard arguments.count == 3, arguments[0] == "request", arguments[1] == "GET", arguments[2].hasPrefix("stats") else {
        result = ToolResult(stderr: "Error: unknown command \"\(arguments.joined(separator: " "))\" for \"pilot-agent\"\n", exitCode: 1)
        break
      }
      result = ToolResult(stdout: cluster.proxyStats(of: ref) ?? "")
    case "cat":
      result = cat(Array(flags.command.dropFirst()), pod: pod, container: container)
    case "ls":
      result = ls(Array(flags.command.dropFirst()), pod: pod, container: container)
    case "env":
      let env = (pod.spec.containers.first { $0.name == container }?.env ?? []).map { "\($0.name)=\($0.value ?? "")\n" }
      result = ToolResult(stdout: "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=\(pod.metadata.name)\n" + env.joined())
    default:
      throw KubectlError(
        notice + defaulted
          + "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"\(program)\": executable file not found in $PATH: unknown")
    }
    // What the program wrote keeps its order between kubectl's notices and its last word.
    var exec = ToolResult(stderr: notice + defaulted, exitCode: result.exitCode, waitsUntil: result.waitsUntil)
    exec.append(outputOf: result)
    if result.exitCode != 0 {
      exec.append(outputOf: ToolResult(stderr: "command terminated with exit code \(result.exitCode)\n"))
    }
    return exec
  }

  /// The image a container of `pod` runs, when the registry knows it.
  private static func image(of container: String, in pod: Pod) -> ContainerImage? {
    pod.spec.containers.first { $0.name == container }?.image.flatMap(ContainerImage.lookup)
  }

  /// `cat` inside a container: the files of mounted volumes, and the kubelet's `/etc/resolv.conf` and
  /// `/etc/hosts`.
  private func cat(_ paths: [String], pod: Pod, container: String) -> ToolResult {
    var result = ToolResult()
    for path in paths {
      if let file = mountedFile(path, in: pod, container: container) {
        guard let text = file else {
          result.stderr += "grpclab: \(path) holds a service account token, which the lab does not issue\n"
          result.exitCode = 1
          continue
        }
        result.stdout += text
      } else if let text = kubeletFile(path, of: pod) {
        result.stdout += text
      } else {
        result.stderr += "cat: \(path): No such file or directory\n"
        result.exitCode = 1
      }
    }
    return result
  }

  /// `ls [-1] DIR…` inside a container, for the folders mounted volumes fill: their files, one a line,
  /// and a blank line between folders.
  private func ls(_ arguments: [String], pod: Pod, container: String) -> ToolResult {
    let notice = "grpclab: ls in a container lists only the folders of mounted volumes, with no option but -1\n"
    guard arguments.allSatisfy({ !$0.hasPrefix("-") || $0 == "-1" }) else { return ToolResult(stderr: notice, exitCode: 2) }
    let folders = arguments.filter { $0 != "-1" }
    var listings: [String] = []
    for folder in folders.isEmpty ? ["."] : folders {
      let path = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
      guard let keys = mountedKeys(path, in: pod, container: container) else { return ToolResult(stderr: notice, exitCode: 2) }
      listings.append((folders.count > 1 ? "\(folder):\n" : "") + keys.map { $0 + "\n" }.joined())
    }
    return ToolResult(stdout: listings.joined(separator: "\n"))
  }

  /// The files of the volume mounted whole at `path` in `container`, sorted.
  private func mountedKeys(_ path: String, in pod: Pod, container: String) -> [String]? {
    mountedVolumes(in: pod, container: container).first { mount, _ in mount.mountPath == path && mount.subPath == nil }
      .map { _, files in files.keys.sorted() }
  }

  /// The volumes `container` of `pod` mounts, with their mounts and files by name: a ConfigMap's keys, or
  /// what a projected or downward-API volume puts in it. A file the lab has no contents for (a service
  /// account token) is there, without text.
  private func mountedVolumes(in pod: Pod, container name: String) -> [(mount: VolumeMount, files: [String: String?])] {
    let namespace = pod.metadata.namespace ?? ""
    func configMap(_ name: String) -> [String: String]? { cluster.store.configMap(name, in: namespace)?.data ?? nil }
    func field(_ path: String?) -> String? {
      switch path {
      case "metadata.name": pod.metadata.name
      case "metadata.namespace": namespace
      case "metadata.uid": pod.metadata.uid
      case "metadata.labels": Self.fieldMap(pod.metadata.labels)
      case "metadata.annotations": Self.fieldMap(pod.metadata.annotations)
      default: nil
      }
    }
    func fields(_ source: DownwardAPIVolumeSource) -> [String: String?] {
      Dictionary((source.items ?? []).map { ($0.path, field($0.fieldRef?.fieldPath)) }) { first, _ in first }
    }
    let mounts = pod.spec.containers.first { $0.name == name }?.volumeMounts ?? []
    return mounts.compactMap { mount -> (mount: VolumeMount, files: [String: String?])? in
      guard let volume = pod.spec.volumes?.first(where: { $0.name == mount.name }) else { return nil }
      var files: [String: String?] = [:]
      if let source = volume.configMap {
        guard let data = configMap(source.name) else { return nil }
        files = data.mapValues(Optional.some)
      } else if let source = volume.downwardAPI {
        files = fields(source)
      } else if let source = volume.projected {
        for projection in source.sources ?? [] {
          if let token = projection.serviceAccountToken { files[token.path] = .some(nil) }
          if let keys = projection.configMap, let data = configMap(keys.name) {
            let paths = keys.items.map { $0.map { ($0.key, $0.path) } } ?? data.keys.map { ($0, $0) }
            for (key, path) in paths {
              if let text = data[key] { files[path] = text }
            }
          }
          if let downward = projection.downwardAPI { files.merge(fields(downward)) { first, _ in first } }
        }
      } else {
        return nil
      }
      return (mount, files)
    }
  }

  /// A map as the downward API writes it into a file: `key="value"` lines, sorted by key.
  private static func fieldMap(_ map: [String: String]?) -> String {
    (map ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.goQuoted)" }.joined(separator: "\n")
  }

  /// The files the kubelet writes into every container: DNS settings for `dnsPolicy: ClusterFirst` (the
  /// default), and the hosts file with the pod's own address.
  private func kubeletFile(_ path: String, of pod: Pod) -> String? {
    let namespace = pod.metadata.namespace ?? ""
    switch path {
    case "/etc/resolv.conf" where ["ClusterFirst", nil].contains(pod.spec.dnsPolicy):
      return "search \(namespace).svc.\(Cluster.clusterDomain) svc.\(Cluster.clusterDomain) \(Cluster.clusterDomain)\n"
        + "nameserver \(Cluster.dnsServer)\noptions ndots:5\n"
    case "/etc/hosts":
      return "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        + "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
        + (pod.status?.podIP.map { "\($0)\t\(pod.metadata.name)\n" } ?? "")
    default:
      return nil
    }
  }

  /// The file a mounted volume puts at `path` in `container` (nil when none does): a file under a whole
  /// mount, or the ConfigMap key a `subPath` mount puts at its path; its text, or nil for a file the lab has
  /// no contents for.
  private func mountedFile(_ path: String, in pod: Pod, container: String) -> String?? {
    for (mount, files) in mountedVolumes(in: pod, container: container) {
      if let key = mount.subPath, path == mount.mountPath { return files[key] }
      if mount.subPath == nil, path.hasPrefix(mount.mountPath + "/"), let file = files[String(path.dropFirst(mount.mountPath.count + 1))] {
        return file
      }
    }
    return nil
  }

}
