import ClusterModel
import Foundation

extension Kubectl {
  /// `oc create secret generic NAME [--from-file=[key=]path]… [--from-literal=key=value]… [--type T]` and
  /// `oc create secret tls NAME --cert=path --key=path`, refused as `tls.X509KeyPair` refuses a pair that
  /// does not load.
  ///
  /// `--dry-run=client|server` creates nothing; `-o FORMAT` prints the Secret instead of the verb: the
  /// object kubectl built (`creationTimestamp: null`) with `client`, the API server's with `server` or none.
  mutating func createSecret(_ flags: Flags) throws(KubectlError) -> ToolResult {
    let dryRun = flags.value("dry-run") ?? "none"
    guard ["none", "client", "server"].contains(dryRun) else {
      throw KubectlError("error: Invalid dry-run value (\(dryRun)). Must be \"none\", \"server\", or \"client\".")
    }
    let printer = try flags.value("output").flatMap { format throws(KubectlError) in format.isEmpty ? nil : try createPrinter(format) }
    let arguments = Array(flags.positional.dropFirst())
    guard let variant = arguments.first, ["generic", "tls"].contains(variant) else {
      throw KubectlError("error: Unknown command \"\(arguments.first ?? "")\" for \"\(name) create secret\"\nRun '\(name) create secret --help' for usage.")
    }
    guard arguments.count == 2 else {
      throw KubectlError("error: exactly one NAME is required, got \(arguments.count - 1)\nSee '\(name) create secret \(variant) -h' for help and examples")
    }
    let secretName = arguments[1]
    var data: [String: String] = [:]
    var type = flags.value("type")
    if variant == "tls" {
      guard let cert = flags.value("cert"), let key = flags.value("key") else {
        throw KubectlError("error: key and cert must be specified")
      }
      let certificates = try readFile(cert, missing: "error: Cannot read file \(cert), open \(cert): no such file or directory")
      let privateKey = try readFile(key, missing: "error: Cannot read file \(key), open \(key): no such file or directory")
      do {
        _ = try TLSIdentity(certificates: certificates, key: privateKey)
      } catch {
        throw KubectlError("error: \(error.goDescription)")
      }
      data["tls.crt"] = Data(certificates.utf8).base64EncodedString()
      data["tls.key"] = Data(privateKey.utf8).base64EncodedString()
      type = "kubernetes.io/tls"
    } else {
      for source in flags.all("from-file") {
        let parts = source.split(separator: "=", maxSplits: 1).map(String.init)
        let path = parts.count == 2 ? parts[1] : source
        let key = parts.count == 2 ? parts[0] : (path.split(separator: "/").last.map(String.init) ?? path)
        guard data[key] == nil else { throw Self.duplicateKey(key) }
        data[key] = Data(try readFile(path, missing: "Error: error reading \(path): no such file or directory").utf8).base64EncodedString()
      }
      for literal in flags.all("from-literal") {
        let parts = literal.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
          throw KubectlError("error: invalid literal source \(literal), expected key=value")
        }
        guard data[parts[0]] == nil else { throw Self.duplicateKey(parts[0]) }
        data[parts[0]] = Data(parts[1].utf8).base64EncodedString()
      }
    }
    let secret = Secret(metadata: ObjectMeta(name: secretName, namespace: namespace(flags)), type: type ?? "Opaque", data: data)
    if dryRun == "client" {
      guard let printer else { return ToolResult(stdout: "secret/\(secretName) created (dry run)\n") }
      var metadata: [(String, JSONValue)] = [("name", .string(secretName))]
      if let namespace = flags.value("namespace"), !namespace.isEmpty { metadata.append(("namespace", .string(namespace))) }
      metadata.append(("creationTimestamp", .null))
      var fields: [(String, JSONValue)] = [("kind", .string("Secret")), ("apiVersion", .string("v1")), ("metadata", .object(Dictionary(uniqueKeysWithValues: metadata)))]
      if !data.isEmpty { fields.append(("data", .object(data.mapValues(JSONValue.string)))) }
      if let type { fields.append(("type", .string(type))) }
      return output(.object(Dictionary(uniqueKeysWithValues: fields)), as: printer, reference: "secret/\(secretName)") {
        "{\n" + fields.map { key, value in
          let text = key == "metadata"
            ? "{\n" + metadata.map { "        \"\($0.0)\": \($0.1.goJSON())" }.joined(separator: ",\n") + "\n    }"
            : value.goJSON(indent: "    ").replacingOccurrences(of: "\n", with: "\n    ")
          return "    \"\(key)\": \(text)"
        }.joined(separator: ",\n") + "\n}\n"
      }
    }
    let original = cluster
    var stored: APIObject
    do {
      stored = try cluster.create(.secret(secret))
    } catch .alreadyExists {
      throw KubectlError("error: failed to create secret secrets \"\(secretName)\" already exists")
    } catch {
      throw KubectlError(server: error)
    }
    if dryRun == "server" {
      cluster = original
      stored.metadata.resourceVersion = nil
    }
    guard let printer else { return ToolResult(stdout: "secret/\(secretName) created\(dryRun == "server" ? " (server dry run)" : "")\n") }
    return output(ObjectEncoding.value([stored], asList: false), as: printer, reference: "secret/\(secretName)") {
      ObjectEncoding.json([stored], asList: false)
    }
  }

  /// The printer `create -o FORMAT` and `apply -o FORMAT` name: `get`'s, without tables and custom columns.
  mutating func createPrinter(_ format: String) throws(KubectlError) -> Printer {
    let kinds = ["go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file", "name", "template", "templatefile", "yaml"]
    guard kinds.contains(String(format.prefix { $0 != "=" })) else {
      throw KubectlError(
        "error: unable to match a printer suitable for the output format \"\(format)\", allowed formats are: \(kinds.joined(separator: ","))")
    }
    return try printer(format)
  }

  /// One object as `create` and `apply` print what they wrote; `json` writes it for `-o json`.
  func output(_ value: JSONValue, as printer: Printer, reference: String, json: () -> String) -> ToolResult {
    switch printer {
    case .yaml: ToolResult(stdout: ObjectEncoding.yaml(value))
    case .json: ToolResult(stdout: json())
    case .name: ToolResult(stdout: reference + "\n")
    default: printer.templateOutput(for: value)
    }
  }

  /// A file's text; `missing` is kubectl's error when there is no such file.
  private mutating func readFile(_ path: String, missing: String) throws(KubectlError) -> String {
    guard case .file(let text) = invocation.read(path).contents else { throw KubectlError(missing) }
    return text
  }

  /// kubectl's refusal of a second source for the same key of a secret.
  private static func duplicateKey(_ key: String) -> KubectlError {
    KubectlError("error: cannot add key \(key), another key by that name already exists")
  }
}
