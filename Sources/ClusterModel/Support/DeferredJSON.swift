import Foundation

/// A value that a cluster's archive keeps as its JSON text until first used, so that a cluster made from a
/// snapshot decodes only what a command reads; archived again before it changed, it writes the same text.
///
/// It is encoded as an object holding the text and its checksum, which is checked when the archive is read:
/// a snapshot damaged after it was written is refused when loaded, not found out when the value is first
/// read. Text that does not decode, though its checksum holds, leaves the value empty (`EmptyValue`).
struct DeferredJSON<Value: Codable & Equatable & Sendable & EmptyValue>: Equatable, Sendable, Codable {
  /// The archived text, and the flags to decode it with (the archive's user info, such as exact timestamps).
  private struct Text: ArchivedForm {
    var json: String
    var userInfo: [CodingUserInfoKey: Bool]

    func decoded() -> Value? {
      let decoder = JSONDecoder()
      decoder.userInfo = userInfo
      return try? decoder.decode(Value.self, from: Data(json.utf8))
    }
  }

  private var box: ArchiveBox<Text>

  init(_ value: Value = Value()) {
    box = ArchiveBox(value)
  }

  var value: Value {
    _read {
      box.decode()
      yield box.value
    }
    _modify {
      box.decode()
      if !isKnownUniquelyReferenced(&box) { box = ArchiveBox(box.value) }
      box.valueChanged()
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
    box = ArchiveBox(Text(json: json, userInfo: decoder.userInfo.compactMapValues { $0 as? Bool }), empty: Value())
  }

  /// Writes the text read, while the value is unchanged; else the value's JSON, with the archive's flags.
  func encode(to encoder: any Encoder) throws {
    let (text, value) = box.withForm { text, value in (text?.json, value) }
    let json = try text ?? {
      let inner = JSONEncoder()
      inner.userInfo = encoder.userInfo.compactMapValues { $0 as? Bool }
      return String(decoding: try inner.encode(value), as: UTF8.self)
    }()
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
