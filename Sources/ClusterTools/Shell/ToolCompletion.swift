import ClusterModel

/// Tab completion for the learner's programs, position by position, as kubectl's own completion
/// (cobra's `__complete`) works: verbs, then resource types, then names of that type in the namespace
/// that `-n` or the current project selects; a flag's value after a flag that takes one; only the flags
/// the verb takes.
///
///     completion.candidates(after: ["oc", "-n", "grpc", "logs"], current: "grpc-v1")  // ["grpc-v1-…-…"]
public struct ToolCompletion {
  /// The cluster and the workstation the names come from.
  public var session: ToolSession
  /// The files `-f`, `-proto` and `cat` complete from.
  public var files: any FileSource
  /// What relative paths resolve against.
  public var workingDirectory: String

  /// Completion over `session`, with paths relative to `workingDirectory`.
  public init(session: ToolSession, files: any FileSource, workingDirectory: String) {
    self.session = session
    self.files = files
    self.workingDirectory = workingDirectory
  }

  /// The words that may stand where `current` is being typed, after `words` of the same pipeline stage;
  /// nil when the stage does not start with a learner program. Candidates are whole words: the caller
  /// keeps those that start with `current`.
  public func candidates(after words: [String], current: String) -> [String]? {
    guard let program = words.first else { return nil }
    let arguments = Array(words.dropFirst())
    switch program {
    case "oc", "kubectl": return kubectl(program, arguments, current)
    case "grpcurl": return grpcurl(arguments, current)
    case "ghz": return ghz(arguments, current)
    case "istioctl": return istioctl(arguments, current)
    case "kiali": return simple(arguments, current, flags: Kiali.flags, verbs: ["graph"])
    case "jaeger": return simple(arguments, current, flags: Jaeger.flags, verbs: ["services", "traces", "trace"])
    case "cat", "ls": return paths(current)
    case "grep": return current.hasPrefix("-") ? ["-i", "-v", "-c", "-n", "-o", "-m", "-E", "-F", "-w", "-A", "-B", "-C", "-e"] : []
    case "head", "tail": return ["-n"]
    case "wc": return ["-l", "-w", "-c"]
    case "sort": return ["-n", "-r", "-u", "-k", "-t"]
    case "uniq": return ["-c", "-d"]
    case "cut": return ["-d", "-f", "-c"]
    default: return ToolSession.programs.contains(program) ? [] : nil
    }
  }

  /// The workspace's files and folders that complete `current`: folders end with `/`, hidden ones are left out.
  public func paths(_ current: String, extensions: [String] = []) -> [String] {
    let folder = current.lastIndex(of: "/").map { String(current[...$0]) } ?? ""
    let absolute = folder.hasPrefix("/") ? folder : Invocation.join(workingDirectory, folder)
    guard case .directory(let names) = files.contents(of: absolute) else { return [] }
    return names.filter { !$0.hasPrefix(".") }.sorted().compactMap { name in
      if case .directory = files.contents(of: Invocation.join(absolute, name)) { return folder + name + "/" }
      return extensions.isEmpty || extensions.contains(where: name.hasSuffix) ? folder + name : nil
    }
  }

  // MARK: - oc and kubectl

  /// Values for the flags of `oc` whose values come from the cluster or the workspace.
  private func kubectl(_ program: String, _ arguments: [String], _ current: String) -> [String] {
    let parsed = Parsed(arguments, flags: Flags.table)
    let namespace = parsed.value("namespace") ?? session.workstation.currentProject
    if let flag = parsed.pendingFlag ?? parsed.inlineFlag(current) {
      let prefix = parsed.pendingFlag == nil ? "--\(flag)=" : ""
      let typed = String(current.dropFirst(prefix.count))
      return kubectlValues(flag, parsed, namespace: namespace, typed: typed).map { prefix + $0 }
    }
    guard let verb = parsed.positional.first else {
      if current.hasPrefix("-") { return ["--namespace", "-n"] }
      return Kubectl.Verb.allCases.filter { program == "oc" || !$0.ocOnly }.map(\.rawValue).sorted()
    }
    let allowed = Kubectl.Verb(rawValue: verb)?.flags ?? []
    if current.hasPrefix("-") {
      return Flags.table.filter { allowed.contains($0.long) }.flatMap { ["--\($0.long)"] + ($0.short.map { ["-\($0)"] } ?? []) }
    }
    if parsed.sawDashDash { return [] }
    let rest = Array(parsed.positional.dropFirst())
    switch verb {
    case "get", "describe", "delete", "edit", "label", "annotate":
      if rest.isEmpty && !current.contains("/") {
        return ResourceKind.allCases.filter { $0 != .event || verb == "get" }.map(\.plural) + (verb == "get" ? ["projects"] : [])
      }
      if let slash = current.firstIndex(of: "/") {
        guard let kind = Kubectl.kind(named: String(current[..<slash])) else { return [] }
        return names(of: kind, in: namespace).map { current[...slash] + $0 }
      }
      if verb == "get", let type = rest.first, Kubectl.projectTypes.contains(type) { return names(of: .namespace, in: nil) }
      guard let type = rest.first, let kind = Kubectl.kind(named: type) else { return [] }
      return names(of: kind, in: namespace)
    case "logs", "exec":
      if rest.isEmpty {
        return current.contains("/") ? names(of: .deployment, in: namespace).map { "deploy/" + $0 } : names(of: .pod, in: namespace)
      }
      return []
    case "scale":
      return rest.isEmpty ? names(of: .deployment, in: namespace).map { "deployment/" + $0 } : []
    case "rollout":
      if rest.isEmpty { return Kubectl.rolloutCommands }
      return rest.count == 1 ? names(of: .deployment, in: namespace).map { "deployment/" + $0 } : []
    case "create":
      if rest.isEmpty { return ["secret"] }
      return rest == ["secret"] ? ["generic", "tls"] : []
    case "project": return rest.isEmpty ? names(of: .namespace, in: nil) : []
    default: return []
    }
  }

  /// The values `--flag` may take: namespaces, output formats, files, a pod's containers, labels.
  private func kubectlValues(_ flag: String, _ parsed: Parsed, namespace: String, typed: String) -> [String] {
    switch flag {
    case "namespace": return names(of: .namespace, in: nil)
    case "output": return ["json", "yaml", "wide", "name", "jsonpath=", "custom-columns=", "go-template="]
    case "filename": return paths(typed, extensions: [".yaml", ".yml", ".json"])
    case "container":
      let pod = parsed.positional.dropFirst().first.flatMap { target in
        session.cluster.store.pods(in: namespace).first { $0.metadata.name == target }
          ?? deploymentPod(target, namespace: namespace)
      }
      return pod.map { ($0.spec.initContainers ?? []).map(\.name) + $0.spec.containers.map(\.name) } ?? []
    case "selector":
      let pods = session.cluster.store.pods(in: namespace)
      return Array(Set(pods.flatMap { $0.metadata.labelSet.map { "\($0.key)=\($0.value)" } })).sorted()
    case "dry-run": return ["client", "server", "none"]
    default: return []
    }
  }

  /// A pod of the Deployment that `deploy/NAME` names, for its containers.
  private func deploymentPod(_ target: String, namespace: String) -> Pod? {
    guard let slash = target.firstIndex(of: "/"), Kubectl.kind(named: String(target[..<slash])) == .deployment else { return nil }
    let name = target[target.index(after: slash)...]
    return session.cluster.store.pods(in: namespace).first { $0.metadata.name.hasPrefix(name + "-") }
  }

  /// The names of the objects of `kind` in `namespace` (every namespace when nil or the kind is not namespaced).
  private func names(of kind: ResourceKind, in namespace: String?) -> [String] {
    session.cluster.store.list(kind, namespace: kind.isNamespaced ? namespace : nil).map(\.metadata.name).sorted()
  }

  // MARK: - grpcurl, istioctl, kiali, jaeger

  /// The words of a command whose valued flags take the next word: its positional words, the values given
  /// so far, and the flag whose value is being typed when the last word is one. `valued` names the valued
  /// flag a word is, or nil.
  private func scan(_ arguments: [String], valued: (String) -> String?) -> (positional: [String], values: [String: String], pending: String?) {
    var positional: [String] = []
    var values: [String: String] = [:]
    var index = 0
    while index < arguments.count {
      let word = arguments[index]
      index += 1
      guard word.hasPrefix("-") else {
        positional.append(word)
        continue
      }
      guard let name = valued(word) else { continue }
      guard index < arguments.count else { return (positional, values, name) }
      values[name] = arguments[index]
      index += 1
    }
    return (positional, values, nil)
  }

  /// grpcurl: flags, then the host, then `list`, `describe` and the methods of the `-proto` file.
  private func grpcurl(_ arguments: [String], _ current: String) -> [String] {
    let (positional, values, pending) = scan(arguments) { word in
      let name = String(word.drop { $0 == "-" }.prefix { $0 != "=" })
      return Grpcurl.flagDocs.contains(where: { $0.name == name && !$0.type.isEmpty }) && !word.contains("=") ? name : nil
    }
    switch pending {
    case "proto": return paths(current, extensions: [".proto"])
    case "cacert", "cert", "key", "import-path", "protoset": return paths(current)
    case "format": return ["json", "text"]
    case .some: return []
    case nil: break
    }
    if current.hasPrefix("-") { return Grpcurl.flagDocs.map { "-" + $0.name }.sorted() }
    let proto = values["proto"]
    switch positional.count {
    case 0: return routeTargets()
    case 1: return ["list", "describe"] + methods(proto)
    case 2 where ["list", "describe"].contains(positional[1]): return services(proto)
    default: return []
    }
  }

  /// ghz's modelled flags, their values (files, the `--proto` file's methods, formats), and the Routes' hosts
  /// as its target.
  private func ghz(_ arguments: [String], _ current: String) -> [String] {
    let (positional, values, pending) = scan(arguments) { word in
      let long = word.hasPrefix("--") ? String(word.dropFirst(2).prefix { $0 != "=" }) : nil
      let name = long ?? Ghz.valued.first { $0.value == word.dropFirst().first }?.key ?? ""
      return Ghz.valued[name] != nil && !word.contains("=") && (long != nil || word.count == 2) ? name : nil
    }
    switch pending {
    case "proto": return paths(current, extensions: [".proto"])
    case "cacert", "cert", "key": return paths(current)
    case "call": return methods(values["proto"])
    case "format": return ["summary"]
    case .some: return []
    case nil: break
    }
    if current.hasPrefix("-") {
      return (Ghz.valued.keys.filter { !Ghz.unmodelled.contains($0) } + Ghz.booleans.keys).map { "--" + $0 }.sorted()
    }
    return positional.isEmpty ? routeTargets() : []
  }

  /// Each Route's host with the router's TLS port, as a workstation client's target.
  private func routeTargets() -> [String] {
    session.cluster.store.list(.route).compactMap { object -> String? in
      guard case .route(let route) = object, let host = route.spec.host else { return nil }
      return host + ":443"
    }.sorted()
  }

  /// The proto file's services (and, for `describe`, methods and messages) by full name.
  private func services(_ proto: String?) -> [String] {
    guard let file = protoFile(proto) else { return [] }
    let prefix = file.package.isEmpty ? "" : file.package + "."
    return file.services.map { prefix + $0.name } + file.messages.map { prefix + $0.name } + methods(proto).map { $0.replacingOccurrences(of: "/", with: ".") }
  }

  /// The proto file's methods as grpcurl's `package.Service/Method`.
  private func methods(_ proto: String?) -> [String] {
    guard let file = protoFile(proto) else { return [] }
    let prefix = file.package.isEmpty ? "" : file.package + "."
    return file.services.flatMap { service in service.methods.map { "\(prefix)\(service.name)/\($0.name)" } }
  }

  private func protoFile(_ path: String?) -> ProtoFile? {
    guard let path else { return nil }
    guard case .file(let text) = files.contents(of: path.hasPrefix("/") ? path : Invocation.join(workingDirectory, path)) else { return nil }
    return try? ProtoFile(parsing: text)
  }

  /// istioctl: `proxy-config` (`pc`), its types, then the pods as `NAME.NAMESPACE`.
  private func istioctl(_ arguments: [String], _ current: String) -> [String] {
    let parsed = Parsed(arguments, flags: Istioctl.flags)
    if parsed.pendingFlag == "namespace" { return names(of: .namespace, in: nil) }
    if current.hasPrefix("-") { return Istioctl.flags.map { "--" + $0.long } }
    switch parsed.positional.count {
    case 0: return ["proxy-config"]
    case 1: return ["cluster", "endpoint", "route"]
    case 2:
      let namespace = parsed.value("namespace")
      return session.cluster.store.pods(in: namespace).map { namespace == nil ? "\($0.metadata.name).\($0.metadata.namespace ?? "")" : $0.metadata.name }.sorted()
    default: return []
    }
  }

  /// A program with one level of verbs and flags of its own: kiali and jaeger.
  private func simple(_ arguments: [String], _ current: String, flags: [Flags.Spec], verbs: [String]) -> [String] {
    let parsed = Parsed(arguments, flags: flags)
    if parsed.pendingFlag == "namespace" { return names(of: .namespace, in: nil) }
    if parsed.pendingFlag != nil { return [] }
    if current.hasPrefix("-") { return flags.map { "--" + $0.long } }
    return parsed.positional.isEmpty ? verbs : []
  }
}

/// The words of a command as far as they are typed, read with the program's flags: which flag waits for its
/// value, the values given so far, and the positional words.
private struct Parsed {
  var values: [String: String] = [:]
  var positional: [String] = []
  /// The long name of a flag whose value is the word being typed.
  var pendingFlag: String?
  var sawDashDash = false
  let flags: [Flags.Spec]

  init(_ words: [String], flags: [Flags.Spec]) {
    self.flags = flags
    var index = 0
    while index < words.count {
      let word = words[index]
      index += 1
      if word == "--" {
        sawDashDash = true
        return
      }
      guard word.hasPrefix("-"), word.count > 1 else {
        positional.append(word)
        continue
      }
      let spec: Flags.Spec?
      var inline: String?
      if word.hasPrefix("--") {
        let body = word.dropFirst(2)
        spec = flags.first { $0.long == body.prefix { $0 != "=" } }
        if body.contains("=") { inline = String(body.drop { $0 != "=" }.dropFirst()) }
      } else {
        spec = flags.first { $0.short == word.dropFirst().first }
        if word.count > 2 { inline = String(word.dropFirst(2)) }
      }
      guard let spec, spec.takesValue else { continue }
      if let inline {
        values[spec.long] = inline
      } else if index < words.count {
        values[spec.long] = words[index]
        index += 1
      } else {
        pendingFlag = spec.long
      }
    }
  }

  func value(_ name: String) -> String? { values[name] }

  /// The flag of a word typed as `--flag=value`.
  func inlineFlag(_ word: String) -> String? {
    guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return nil }
    let name = word[word.index(word.startIndex, offsetBy: 2)..<equals]
    return flags.first { $0.long == name && $0.takesValue }?.long
  }
}
