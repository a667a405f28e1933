import ClusterModel
import Foundation

extension Kubectl {
  /// `oc create secret generic NAME [--from-file=[key=]path]… [--from-literal=key=value]… [--type T]` and
  /// `oc create secret tls NAME --cert=path --key=path`, refused as `tls.X509KeyPair` refuses a pair that
  /// does not load.
  mutating func createSecret(_ flags: Flags) throws(KubectlError) -> ToolResult {
    let arguments = Array(flags.positional.dropFirst())
    guard let variant = arguments.first, ["generic", "tls"].contains(variant) else {
      throw KubectlError("error: Unknown command \"\(arguments.first ?? "")\" for \"\(name) create secret\"\nRun '\(name) create secret --help' for usage.")
    }
    guard arguments.count == 2 else {
      throw KubectlError("error: exactly one NAME is required, got \(arguments.count - 1)\nSee '\(name) create secret \(variant) -h' for help and examples")
    }
    let secretName = arguments[1]
    var data: [String: String] = [:]
    var type = flags.value("type") ?? "Opaque"
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
        data[key] = Data(try readFile(path, missing: "Error: error reading \(path): no such file or directory").utf8).base64EncodedString()
      }
      for literal in flags.all("from-literal") {
        let parts = literal.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
          throw KubectlError("error: invalid literal source \(literal), expected key=value")
        }
        data[parts[0]] = Data(parts[1].utf8).base64EncodedString()
      }
    }
    let secret = Secret(metadata: ObjectMeta(name: secretName, namespace: namespace(flags)), type: type, data: data)
    if flags.value("dry-run") != nil {
      return ToolResult(stdout: "secret/\(secretName) created (dry run)\n")
    }
    do {
      try cluster.create(.secret(secret))
    } catch .alreadyExists {
      throw KubectlError("error: failed to create secret secrets \"\(secretName)\" already exists")
    } catch {
      throw KubectlError(server: error)
    }
    return ToolResult(stdout: "secret/\(secretName) created\n")
  }

  /// A file's text; `missing` is kubectl's error when there is no such file.
  private mutating func readFile(_ path: String, missing: String) throws(KubectlError) -> String {
    guard case .file(let text) = invocation.read(path).contents else { throw KubectlError(missing) }
    return text
  }
}
