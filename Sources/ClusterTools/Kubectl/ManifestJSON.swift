import Foundation
internal import Yams

/// A YAML document turned into the JSON body kubectl sends, as `sigs.k8s.io/yaml` does: plain scalars
/// keep their YAML 1.1 types, aliases are expanded, merge keys (`<<`) are merged, the last of duplicate
/// keys wins.
///
/// Expansion stops as soon as the body passes the API server's limit, so a document that aliases one
/// large string thousands of times costs no more than the limit.
struct ManifestJSON {
  /// The API server's limit on a request body (`MaxRequestBodyBytes`, 3 MiB).
  static let requestLimit = 3 * 1024 * 1024

  /// Why a document could not be turned into a body.
  enum Failure: Error, Equatable {
    /// The body would pass `requestLimit`.
    case tooLarge
    /// A mapping key that is not a scalar.
    case invalidKey
  }

  private(set) var bytes: [UInt8] = []

  /// The JSON body of `node`.
  ///
  /// - Throws: `Failure.tooLarge` once the body passes the API server's limit.
  init(_ node: Node) throws(Failure) {
    bytes.reserveCapacity(1024)
    try append(node)
  }

  private mutating func append(_ node: Node) throws(Failure) {
    guard bytes.count <= Self.requestLimit else { throw .tooLarge }
    switch node {
    case .scalar(let scalar):
      appendScalar(scalar, node: node)
    case .sequence(let sequence):
      bytes.append(UInt8(ascii: "["))
      for (index, element) in sequence.enumerated() {
        if index > 0 { bytes.append(UInt8(ascii: ",")) }
        try append(element)
      }
      bytes.append(UInt8(ascii: "]"))
    case .mapping(let mapping):
      var order: [String] = []
      var values: [String: Node] = [:]
      func add(_ key: String, _ value: Node, override: Bool) {
        if values[key] == nil { order.append(key) } else if !override { return }
        values[key] = value
      }
      for (key, value) in mapping where key.tag.rawValue == Tag.Name.merge.rawValue {
        for source in value.mapping.map({ [Node.mapping($0)] }) ?? value.sequence.map(Array.init) ?? [] {
          for (mergedKey, mergedValue) in source.mapping ?? [:] {
            guard let name = mergedKey.scalar?.string else { throw .invalidKey }
            add(name, mergedValue, override: false)
          }
        }
      }
      for (key, value) in mapping where key.tag.rawValue != Tag.Name.merge.rawValue {
        guard let name = key.scalar?.string else { throw .invalidKey }
        add(name, value, override: true)
      }
      bytes.append(UInt8(ascii: "{"))
      for (index, key) in order.enumerated() {
        if index > 0 { bytes.append(UInt8(ascii: ",")) }
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
        try append(values[key] ?? "")
      }
      bytes.append(UInt8(ascii: "}"))
    case .alias:
      bytes.append(contentsOf: Array("null".utf8))
    }
  }

  private mutating func appendScalar(_ scalar: Node.Scalar, node: Node) {
    guard scalar.style == .plain || scalar.style == .any else { return appendString(scalar.string) }
    switch Tag.Name(rawValue: node.tag.rawValue) {
    case .null:
      bytes.append(contentsOf: Array("null".utf8))
    case .bool:
      bytes.append(contentsOf: Array((node.bool == true ? "true" : "false").utf8))
    case .int:
      if let value = node.int {
        bytes.append(contentsOf: Array(String(value).utf8))
      } else if scalar.string.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }) {
        bytes.append(contentsOf: Array(scalar.string.drop { $0 == "+" }.utf8))
      } else {
        appendString(scalar.string)
      }
    case .float:
      if let value = node.float, value.isFinite {
        bytes.append(contentsOf: Array(String(value).utf8))
      } else {
        appendString(scalar.string)
      }
    default:
      appendString(scalar.string)
    }
  }

  private mutating func appendString(_ string: String) {
    bytes.append(UInt8(ascii: "\""))
    for byte in string.utf8 {
      switch byte {
      case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]])
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
