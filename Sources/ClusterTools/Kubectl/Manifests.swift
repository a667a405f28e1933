import ClusterModel
internal import Yams

/// One object read from a manifest file, with where it came from.
struct Manifest {
  /// The path as the learner gave it (`STDIN` for `-f -`), as kubectl names sources in messages.
  var source: String
  var object: APIObject
}

extension Kubectl {
  /// Reads and decodes every object in the `-f` paths (files, directories of `.yaml`/`.yml`/`.json`, or `-`).
  ///
  /// Objects without a namespace get the command's; a namespace that contradicts `-n` is an error.
  mutating func loadManifests(_ paths: [String], flags: Flags) throws(KubectlError) -> [Manifest] {
    if paths.isEmpty {
      throw KubectlError("error: must specify one of -f and -k")
    }
    var documents: [(source: String, text: String)] = []
    for path in paths {
      if path == "-" {
        documents.append(("STDIN", invocation.stdin ?? ""))
        continue
      }
      let (absolute, contents) = invocation.read(path)
      switch contents {
      case .file(let text):
        documents.append((path, text))
      case .directory(let names):
        for file in names.sorted() where [".yaml", ".yml", ".json"].contains(where: file.hasSuffix) {
          let child = path.hasSuffix("/") ? path + file : path + "/" + file
          if case .file(let text) = invocation.read(absolute + "/" + file).contents {
            documents.append((child, text))
          }
        }
      case .missing:
        throw KubectlError("error: the path \"\(path)\" does not exist")
      case .unreadable(let reason):
        throw KubectlError("error: open \(path): \(reason.prefix(1).lowercased() + reason.dropFirst())")
      }
    }
    var manifests: [Manifest] = []
    for document in documents {
      for object in try Self.decode(document.text, source: document.source) {
        var object = object
        if object.kind.isNamespaced {
          let given = flags.value("namespace")
          if let own = object.metadata.namespace, !own.isEmpty {
            if let given, given != own {
              throw KubectlError("error: the namespace from the provided object \"\(own)\" does not match the namespace \"\(given)\". You must pass '--namespace=\(own)' to perform this operation.")
            }
          } else {
            object.metadata.namespace = namespace(flags)
          }
        }
        manifests.append(Manifest(source: document.source, object: object))
      }
    }
    if manifests.isEmpty {
      throw KubectlError("error: no objects passed to apply")
    }
    return manifests
  }

  /// Decodes the YAML (or JSON) documents of one file into API objects.
  static func decode(_ text: String, source: String) throws(KubectlError) -> [APIObject] {
    var nodes: [Node] = []
    do {
      let parser = try Parser(yaml: text)
      while let node = try parser.nextRoot() { nodes.append(node) }
    } catch {
      throw KubectlError("error: error parsing \(source): error converting YAML to JSON: \(goYAMLMessage(error))")
    }
    var objects: [APIObject] = []
    for node in nodes {
      guard let mapping = node.mapping else {
        if node.null != nil { continue }
        throw KubectlError("error: error parsing \(source): error converting YAML to JSON: yaml: cannot unmarshal into an object")
      }
      if mapping.isEmpty { continue }
      guard let kindName = mapping["kind"]?.string, !kindName.isEmpty else {
        throw KubectlError("error: error validating \"\(source)\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false")
      }
      let version = mapping["apiVersion"]?.string ?? ""
      if version.isEmpty {
        throw KubectlError("error: error validating \"\(source)\": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false")
      }
      let name = mapping["metadata"]?.mapping?["name"]?.string ?? ""
      let namespace = mapping["metadata"]?.mapping?["namespace"]?.string ?? ""
      guard let kind = ResourceKind(rawValue: kindName), kind.apiVersions.contains(version) else {
        throw KubectlError("error: resource mapping not found for name: \"\(name)\" namespace: \"\(namespace)\" from \"\(source)\": no matches for kind \"\(kindName)\" in version \"\(version)\"\nensure CRDs are installed first")
      }
      let handled = "\(kindName) in version \"\(version.split(separator: "/").last ?? "v1")\" cannot be handled as a \(kindName)"
      if let overflow = Self.int32Overflow(kind, mapping) {
        throw KubectlError("Error from server (BadRequest): error when creating \"\(source)\": \(handled): \(overflow)")
      }
      do {
        objects.append(try decode(kind, from: node))
      } catch let error as DecodingError {
        throw KubectlError("Error from server (BadRequest): error when creating \"\(source)\": \(handled): \(error.summary)")
      } catch {
        throw KubectlError("error: error parsing \(source): \(error)")
      }
    }
    return objects
  }

  /// The API server's decoding error for a replica count that is not an int32, as Go's JSON decoder words it:
  /// `json: cannot unmarshal number 9223372036854775807 into Go struct field DeploymentSpec.spec.replicas of type int32`.
  static func int32Overflow(_ kind: ResourceKind, _ mapping: Node.Mapping) -> String? {
    let spec = switch kind {
    case .deployment: "DeploymentSpec"
    case .replicaSet: "ReplicaSetSpec"
    default: ""
    }
    guard !spec.isEmpty, let value = mapping["spec"]?.mapping?["replicas"], let text = value.scalar?.string,
      value.int == nil || Int32(exactly: value.int ?? 0) == nil, text.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }), !text.isEmpty
    else { return nil }
    return int32Error(text, field: "\(spec).spec.replicas")
  }

  /// Go's JSON error for a number outside an int32 field.
  static func int32Error(_ number: String, field: String) -> String {
    "json: cannot unmarshal number \(number) into Go struct field \(field) of type int32"
  }

  private static func decode(_ kind: ResourceKind, from node: Node) throws -> APIObject {
    let decoder = YAMLDecoder()
    switch kind {
    case .namespace: return .namespace(try decoder.decode(Namespace.self, from: node))
    case .configMap: return .configMap(try decoder.decode(ConfigMap.self, from: node))
    case .secret: return .secret(try decoder.decode(Secret.self, from: node))
    case .pod: return .pod(try decoder.decode(Pod.self, from: node))
    case .service: return .service(try decoder.decode(Service.self, from: node))
    case .endpoints: return .endpoints(try decoder.decode(Endpoints.self, from: node))
    case .deployment: return .deployment(try decoder.decode(Deployment.self, from: node))
    case .replicaSet: return .replicaSet(try decoder.decode(ReplicaSet.self, from: node))
    case .event: return .event(try decoder.decode(Event.self, from: node))
    case .route: return .route(try decoder.decode(Route.self, from: node))
    case .ingressConfig: return .ingressConfig(try decoder.decode(IngressConfig.self, from: node))
    case .serviceMeshControlPlane: return .serviceMeshControlPlane(try decoder.decode(ServiceMeshControlPlane.self, from: node))
    case .serviceMeshMemberRoll: return .serviceMeshMemberRoll(try decoder.decode(ServiceMeshMemberRoll.self, from: node))
    case .virtualService: return .virtualService(try decoder.decode(VirtualService.self, from: node))
    case .destinationRule: return .destinationRule(try decoder.decode(DestinationRule.self, from: node))
    case .gateway: return .gateway(try decoder.decode(Gateway.self, from: node))
    case .peerAuthentication: return .peerAuthentication(try decoder.decode(PeerAuthentication.self, from: node))
    }
  }

  /// A Yams (libyaml) error in go-yaml's words: `yaml: line 7: mapping values are not allowed in this context`.
  static func goYAMLMessage(_ error: any Error) -> String {
    guard let error = error as? YamlError else { return "yaml: \(error)" }
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
      return "yaml: line \(mark.line): \(problem)"
    default:
      return "yaml: \(error)"
    }
  }
}

extension DecodingError {
  /// The problem and its place: ``missing key `spec.template` `` or ``wrong type at `spec.replicas`: expected Int``.
  public var summary: String {
    func path(_ keys: [any CodingKey]) -> String {
      keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
    }
    switch self {
    case .keyNotFound(let key, let context):
      return "missing key `\(path(context.codingPath + [key]))`"
    case .typeMismatch(let type, let context):
      return "wrong type at `\(path(context.codingPath))`: expected \(type)"
    case .valueNotFound(let type, let context):
      return "missing value at `\(path(context.codingPath))`: expected \(type)"
    case .dataCorrupted(let context):
      return "invalid value at `\(path(context.codingPath))`: \(context.debugDescription)"
    @unknown default:
      return "\(self)"
    }
  }
}
