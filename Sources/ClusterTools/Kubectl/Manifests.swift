import ClusterModel
import Foundation
internal import Yams

/// One object read from a manifest file, with where it came from.
struct Manifest {
  /// The path as the learner gave it (`STDIN` for `-f -`), as kubectl names sources in messages.
  var source: String
  var object: APIObject
}

/// A document kubectl could not send, or an object the API server refused, in kubectl's words.
struct ManifestError: Error {
  /// The message when it is the only error: `error: …`, `Error from server (…): …` or `The … is invalid: …`.
  var alone: String
  /// The line when there are several: kubectl's own errors lose their `error: ` prefix.
  var amongOthers: String

  /// An error kubectl finds before sending anything.
  init(client message: String) {
    alone = "error: " + message
    amongOthers = message
  }

  /// An error the API server answers for the object from `source`.
  init(server error: ClusterError, action: String = "creating", source: String) {
    amongOthers = "\(error.serverPrefix): error when \(action) \"\(source)\": \(error)"
    if case .invalid = error { alone = "The \(error)" } else { alone = amongOthers }
  }

  /// The errors as kubectl prints them at the end of a command: one alone, several one per line.
  static func report(_ errors: [ManifestError]) -> String {
    if errors.count == 1 { return errors[0].alone + "\n" }
    return errors.map { $0.amongOthers + "\n" }.joined()
  }
}

extension Kubectl {
  /// Reads and decodes every object in the `-f` paths (files, directories of `.yaml`/`.yml`/`.json`, or `-`).
  ///
  /// Objects without a namespace get the command's; a namespace that contradicts `-n` is an error.
  ///
  /// - Throws: The first document's error, or `error: no objects passed to apply`.
  mutating func loadManifests(_ paths: [String], flags: Flags) throws(KubectlError) -> [Manifest] {
    let (manifests, errors) = try loadManifestsContinuing(paths, flags: flags)
    if let first = errors.first { throw KubectlError(first.alone) }
    return manifests
  }

  /// Reads and decodes the `-f` paths as kubectl's builder does with `ContinueOnError`: a syntax or
  /// validation error ends its file (the documents before it still count), an unknown kind or a
  /// document the API server would refuse skips only that document.
  ///
  /// - Throws: An error about the paths themselves, or `error: no objects passed to apply` when there is
  ///   neither an object nor an error.
  mutating func loadManifestsContinuing(_ paths: [String], flags: Flags) throws(KubectlError) -> ([Manifest], [ManifestError]) {
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
    var errors: [ManifestError] = []
    for document in documents {
      let decoded = Self.decode(document.text, source: document.source)
      errors += decoded.errors
      for object in decoded.objects {
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
    if manifests.isEmpty && errors.isEmpty {
      throw KubectlError("error: no objects passed to apply")
    }
    return (manifests, errors)
  }

  /// What decoding one file gave: its objects, and the errors of the documents that are not objects.
  typealias DecodedFile = (objects: [APIObject], errors: [ManifestError])

  /// Files decoded lately, by the bytes of their name and text (two texts that differ only in how an accent
  /// is encoded are different files): a replay under another seed, a sweep and a learner applying a file
  /// again read the same files, and decoding YAML is most of what an apply costs. Files over
  /// `decodedFileLimit` bytes are not kept, and the whole store is dropped when it holds 64.
  private static let decodedFiles = RecentResults<DecodedFileKey, DecodedFile>(capacity: 64)
  private static let decodedFileLimit = 64 * 1024

  private struct DecodedFileKey: Hashable {
    var text: UTF8Key
    var source: UTF8Key
  }

  /// Decodes the YAML (or JSON) documents of one file into API objects, and the errors of the documents
  /// that are not objects.
  static func decode(_ text: String, source: String) -> DecodedFile {
    guard text.utf8.count <= decodedFileLimit else { return decodeAnew(text, source: source) }
    let key = DecodedFileKey(text: UTF8Key(text), source: UTF8Key(source))
    return decodedFiles.result(for: key) { decodeAnew(text, source: source) }
  }

  private static func decodeAnew(_ text: String, source: String) -> DecodedFile {
    var objects: [APIObject] = []
    var errors: [ManifestError] = []
    let parser: Parser
    do {
      parser = try Parser(yaml: text)
    } catch {
      return ([], [ManifestError(client: "error parsing \(source): error converting YAML to JSON: \(goYAMLMessage(error))")])
    }
    while true {
      let root: Node?
      do {
        root = try parser.nextRoot()
      } catch {
        errors.append(ManifestError(client: "error parsing \(source): error converting YAML to JSON: \(goYAMLMessage(error))"))
        break
      }
      guard let node = root else { break }
      guard let mapping = node.mapping else {
        if node.null != nil { continue }
        errors.append(ManifestError(client: "error parsing \(source): error converting YAML to JSON: yaml: cannot unmarshal into an object"))
        break
      }
      if mapping.isEmpty { continue }
      let kindName = mapping["kind"]?.string ?? ""
      let version = mapping["apiVersion"]?.string ?? ""
      let unset = [version.isEmpty ? "apiVersion not set" : nil, kindName.isEmpty ? "kind not set" : nil].compactMap { $0 }
      if !unset.isEmpty {
        let problems = unset.count == 1 ? unset[0] : "[" + unset.joined(separator: ", ") + "]"
        errors.append(ManifestError(client: "error validating \"\(source)\": error validating data: \(problems); if you choose to ignore these errors, turn validation off with --validate=false"))
        break
      }
      let name = mapping["metadata"]?.mapping?["name"]?.string ?? ""
      let namespace = mapping["metadata"]?.mapping?["namespace"]?.string ?? ""
      guard let kind = ResourceKind(rawValue: kindName), kind.apiVersions.contains(version) else {
        errors.append(ManifestError(client: "resource mapping not found for name: \"\(name)\" namespace: \"\(namespace)\" from \"\(source)\": no matches for kind \"\(kindName)\" in version \"\(version)\"\nensure CRDs are installed first"))
        continue
      }
      let body: ManifestJSON
      do {
        body = try ManifestJSON(node)
      } catch .tooLarge {
        errors.append(ManifestError(server: .requestEntityTooLarge(limit: ManifestJSON.requestLimit), source: source))
        continue
      } catch {
        errors.append(ManifestError(client: "error parsing \(source): error converting YAML to JSON: yaml: invalid map key"))
        break
      }
      let handled = "\(kindName) in version \"\(version.split(separator: "/").last ?? "v1")\" cannot be handled as a \(kindName)"
      if let overflow = Self.int32Overflow(kind, mapping) {
        errors.append(ManifestError(server: .badRequest("\(handled): \(overflow)"), source: source))
        continue
      }
      do {
        objects.append(try decode(kind, from: Data(body.bytes)))
      } catch let error as DecodingError {
        errors.append(ManifestError(server: .badRequest("\(handled): \(error.summary)"), source: source))
      } catch {
        errors.append(ManifestError(client: "error parsing \(source): \(error)"))
        break
      }
    }
    return (objects, errors)
  }

  /// The API server's decoding error for a replica or event count that is not an int32, as Go's JSON decoder
  /// words it: `json: cannot unmarshal number 9223372036854775807 into Go struct field
  /// DeploymentSpec.spec.replicas of type int32`.
  static func int32Overflow(_ kind: ResourceKind, _ mapping: Node.Mapping) -> String? {
    let (value, field): (Node?, String) = switch kind {
    case .deployment: (mapping["spec"]?.mapping?["replicas"], "DeploymentSpec.spec.replicas")
    case .replicaSet: (mapping["spec"]?.mapping?["replicas"], "ReplicaSetSpec.spec.replicas")
    case .event: (mapping["count"], "Event.count")
    default: (nil, "")
    }
    guard let value, let scalar = value.scalar, scalar.style == .plain || scalar.style == .any,
      value.int == nil || Int32(exactly: value.int ?? 0) == nil
    else { return nil }
    let text = scalar.string
    guard LeadingInteger.whole(text) != nil else { return nil }
    return int32Error(text, field: field)
  }

  /// Go's JSON error for a number outside an int32 field.
  static func int32Error(_ number: String, field: String) -> String {
    "json: cannot unmarshal number \(number) into Go struct field \(field) of type int32"
  }

  /// The object of `kind` a JSON body holds.
  static func decode(_ kind: ResourceKind, from body: Data) throws -> APIObject {
    try decode(kind, with: BodyReader(body: body, decoder: JSONDecoder()))
  }

  /// The object of `kind` a JSON value holds, read as `decode(_:from:)` reads its text.
  static func decode(_ kind: ResourceKind, from value: JSONValue) throws -> APIObject {
    try decode(kind, with: ValueReader(value: value))
  }

  private static func decode(_ kind: ResourceKind, with reader: some ObjectReader) throws -> APIObject {
    switch kind {
    case .namespace: .namespace(try reader.read(Namespace.self))
    case .configMap: .configMap(try reader.read(ConfigMap.self))
    case .serviceAccount: .serviceAccount(try reader.read(ServiceAccount.self))
    case .secret: .secret(try reader.read(Secret.self))
    case .pod: .pod(try reader.read(Pod.self))
    case .service: .service(try reader.read(Service.self))
    case .endpoints: .endpoints(try reader.read(Endpoints.self))
    case .deployment: .deployment(try reader.read(Deployment.self))
    case .replicaSet: .replicaSet(try reader.read(ReplicaSet.self))
    case .event: .event(try reader.read(Event.self))
    case .route: .route(try reader.read(Route.self))
    case .ingressConfig: .ingressConfig(try reader.read(IngressConfig.self))
    case .serviceMeshControlPlane: .serviceMeshControlPlane(try reader.read(ServiceMeshControlPlane.self))
    case .serviceMeshMemberRoll: .serviceMeshMemberRoll(try reader.read(ServiceMeshMemberRoll.self))
    case .virtualService: .virtualService(try reader.read(VirtualService.self))
    case .destinationRule: .destinationRule(try reader.read(DestinationRule.self))
    case .gateway: .gateway(try reader.read(Gateway.self))
    case .peerAuthentication: .peerAuthentication(try reader.read(PeerAuthentication.self))
    }
  }

  /// A Yams (libyaml) error in go-yaml's words: `yaml: line 7: mapping values are not allowed in this context`.
  static func goYAMLMessage(_ error: any Error) -> String {
    guard let error = error as? YamlError else { return "yaml: \(error)" }
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
      return "yaml: line \(mark.line): \(problem)"
    case .duplicatedKeysInMapping(let keys, let context):
      return "yaml: line \(context.mark.line): mapping key \(keys.map { "\"\($0)\"" }.joined(separator: ", ")) already defined"
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

/// Where `Kubectl.decode` reads an object of a kind from.
private protocol ObjectReader {
  func read<T: Decodable>(_ type: T.Type) throws -> T
}

/// A JSON body, read by `JSONDecoder`.
private struct BodyReader: ObjectReader {
  let body: Data
  let decoder: JSONDecoder

  func read<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(type, from: body) }
}

/// A JSON value, read as its text would be.
private struct ValueReader: ObjectReader {
  let value: JSONValue

  func read<T: Decodable>(_ type: T.Type) throws -> T { try value.decoded(as: type) }
}
