import Foundation
import Synchronization

/// A value that a cluster's archive keeps as its JSON text until first used, so that a cluster made from a
/// snapshot decodes only what a command reads; archived again before it changed, it writes the same text.
///
/// It is encoded as an object holding the text and its checksum, which is checked when the archive is read:
/// a snapshot damaged after it was written is refused when loaded, not found out when the value is first
/// read. Text that does not decode, though its checksum holds, leaves the value empty, as a new cluster's.
struct DeferredJSON<Value: Codable & Equatable & Sendable & EmptyValue>: Equatable, Sendable, Codable {
  /// The value, or its text until first used. Copies share a box until one changes the value, which then
  /// gets a box of its own.
  private final class Box: @unchecked Sendable {
    /// Whether `value` holds the value: set once, after `text` is decoded under `decoding`.
    let isDecoded: Atomic<Bool>
    let decoding = Mutex(())
    /// The archived text and the flags to decode it with (the archive's user info, such as exact
    /// timestamps); nil once the value changed.
    var text: (json: String, userInfo: [CodingUserInfoKey: Bool])?
    /// The value once decoded. Only the holder of the only reference changes it.
    var value: Value

    init(_ value: Value) {
      isDecoded = Atomic(true)
      self.value = value
    }

    init(text json: String, userInfo: [CodingUserInfoKey: Bool]) {
      isDecoded = Atomic(false)
      text = (json, userInfo)
      value = Value()
    }

    func decode() {
      if isDecoded.load(ordering: .acquiring) { return }
      decodeOnce()
    }

    @inline(never) private func decodeOnce() {
      decoding.withLock { _ in
        guard !isDecoded.load(ordering: .relaxed), let text else { return }
        let decoder = JSONDecoder()
        decoder.userInfo = text.userInfo
        if let decoded = try? decoder.decode(Value.self, from: Data(text.json.utf8)) { value = decoded }
        isDecoded.store(true, ordering: .releasing)
      }
    }

    /// The text an archive keeps: the text read, while the value is unchanged.
    func json(userInfo: [CodingUserInfoKey: Bool]) throws -> String {
      try decoding.withLock { _ in
        if let text { return text.json }
        let encoder = JSONEncoder()
        encoder.userInfo = userInfo
        return String(decoding: try encoder.encode(value), as: UTF8.self)
      }
    }
  }

  private var box: Box

  init(_ value: Value = Value()) {
    box = Box(value)
  }

  var value: Value {
    _read {
      box.decode()
      yield box.value
    }
    _modify {
      box.decode()
      if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
      if box.text != nil { box.text = nil }
      yield &box.value
    }
  }

  static func == (lhs: DeferredJSON, rhs: DeferredJSON) -> Bool {
    lhs.box === rhs.box || lhs.value == rhs.value
  }

  private enum CodingKeys: String, CodingKey {
    case checksum, json
  }

  /// Reads the text and checks its checksum, without decoding it.
  ///
  /// - Throws: `DecodingError.dataCorrupted` when the checksum does not hold.
  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let json = try container.decode(String.self, forKey: .json)
    guard try container.decode(UInt64.self, forKey: .checksum) == Checksum.fnv1a(json.utf8) else {
      throw DecodingError.dataCorruptedError(forKey: .json, in: container, debugDescription: "the checksum does not hold")
    }
    box = Box(text: json, userInfo: decoder.userInfo.compactMapValues { $0 as? Bool })
  }

  func encode(to encoder: any Encoder) throws {
    let json = try box.json(userInfo: encoder.userInfo.compactMapValues { $0 as? Bool })
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(json, forKey: .json)
    try container.encode(Checksum.fnv1a(json.utf8), forKey: .checksum)
  }
}

/// A value with an empty form, which a deferred value takes when its text does not decode.
protocol EmptyValue {
  init()
}

extension Dictionary: EmptyValue {}
