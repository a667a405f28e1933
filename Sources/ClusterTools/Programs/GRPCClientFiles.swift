import ClusterModel
import Foundation
import X509

/// What a gRPC client on the workstation reads from files, as grpcurl and ghz read it alike: `.proto`
/// sources, TLS material and the JSON of a request.
extension Invocation {
  /// Reads and parses a `.proto` file, looked up under each import path (else the working directory).
  ///
  /// As protoparse's `ResolveFilenames`, an absolute name (or one that climbs with `..`) needs an import path
  /// it lies under, and is read relative to it.
  mutating func loadProto(_ given: String, importPaths: [String]) -> Result<ProtoFile, Grpcurl.Reason> {
    var name = given
    func absolute(_ path: String) -> String { Invocation.join(path.hasPrefix("/") ? "/" : workingDirectory, path) }
    if importPaths.isEmpty {
      if given.hasPrefix("/") { return .failure(Grpcurl.Reason("must specify at least one import path if any absolute file paths are given")) }
    } else if given.hasPrefix("/") || given.hasPrefix("..") {
      let file = absolute(given)
      guard let root = importPaths.map(absolute).first(where: { root in root == "/" || file.hasPrefix(root + "/") }) else {
        return .failure(Grpcurl.Reason("\(file) does not reside in any import path"))
      }
      name = String(file.dropFirst(root == "/" ? 1 : root.count + 1))
    }
    for directory in importPaths.isEmpty ? ["."] : importPaths {
      let path = directory == "." ? name : directory + "/" + name
      guard case .file(let text) = read(path).contents else { continue }
      do throws(ProtoFile.ParseError) {
        return .success(try ProtoFile(parsing: text))
      } catch {
        return .failure(Grpcurl.Reason("could not parse given files: \(name):\(error.line):\(error.column): \(error.message)"))
      }
    }
    let opened = importPaths.isEmpty || importPaths.contains(".") ? name : absolute(name)
    return .failure(Grpcurl.Reason("could not parse given files: open \(opened): no such file or directory"))
  }

  /// The client's TLS material, as both tools' `ClientTLSConfig` reads it: the key pair, then the CA (nil
  /// when the client skips verifying the server).
  mutating func clientTLS(cert: String?, key: String?, cacert: String?) -> Result<(identity: TLSIdentity?, roots: [Certificate]?), Grpcurl.Reason> {
    var identity: TLSIdentity?
    var roots: [Certificate]?
    if let cert, let key {
      guard case .file(let certificates) = read(cert).contents else {
        return .failure(Grpcurl.Reason("could not load client key pair: open \(cert): no such file or directory"))
      }
      guard case .file(let keyText) = read(key).contents else {
        return .failure(Grpcurl.Reason("could not load client key pair: open \(key): no such file or directory"))
      }
      do {
        identity = try TLSIdentity(certificates: certificates, key: keyText)
      } catch {
        return .failure(Grpcurl.Reason("could not load client key pair: \(error.goDescription)"))
      }
    }
    if let cacert {
      guard case .file(let text) = read(cacert).contents else {
        return .failure(Grpcurl.Reason("could not read ca certificate: open \(cacert): no such file or directory"))
      }
      guard let parsed = try? PEM.certificates(in: text), !parsed.isEmpty else { return .failure(Grpcurl.Reason("failed to append ca certs")) }
      roots = parsed
    }
    return .success((identity, roots))
  }
}

extension ProtoFile {
  /// The request's fields by proto name, from one JSON value (`null` is an empty request).
  static func requestFields(_ data: String, message: ProtoFile.Message?, type: String) -> Result<[String: String], Grpcurl.Reason> {
    let trimmed = data.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty, trimmed != "null" else { return .success([:]) }
    guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
      let first = trimmed.first.map { String($0) } ?? ""
      return .failure(Grpcurl.Reason("invalid character '\(first)' looking for beginning of value"))
    }
    var fields: [String: String] = [:]
    for (key, value) in object.sorted(by: { $0.key < $1.key }) {
      guard let field = message?.fields.first(where: { $0.name == key || $0.jsonName == key }) else {
        return .failure(Grpcurl.Reason("message type \(type) has no known field named \(key)"))
      }
      guard let text = value as? String else { return .failure(Grpcurl.Reason("bad input: expecting string ; instead got \(value)")) }
      fields[field.name] = text
    }
    return .success(fields)
  }
}
