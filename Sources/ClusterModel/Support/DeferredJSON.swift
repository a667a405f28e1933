import Foundation
import Synchronization

/// A value that a cluster's archive keeps as its JSON text until first used, so that a cluster made from a
/// snapshot decodes only what a command reads; archived again before it changed, it writes the same text.
///
/// The text is not part of the cluster's JSON: the archive keeps it on a line of its own (`ArchiveParts`),
/// and the cluster's JSON names the line and the text's checksum, which is checked when the archive is
/// read: a snapshot damaged after it was written is refused when loaded, not found out when the value is
/// first read. Text that does not decode, though its checksum holds, leaves the value empty (`EmptyValue`).
/// A deferred value is encoded and decoded only within a cluster's archive.
struct DeferredJSON<Value: Codable & Equatable & Sendable & EmptyValue>: Equatable, Sendable, Codable {
  /// The archived text, and the flags to decode it with (the archive's user info, such as exact timestamps).
  private struct Text: ArchivedForm {
    var json: Data
    var userInfo: [CodingUserInfoKey: Bool]

    func decoded() -> Value? {
      let decoder = JSONDecoder()
      decoder.userInfo = userInfo
      return try? decoder.decode(Value.self, from: json)
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
      ArchiveBox.prepareForChange(&box)
      yield &box.value
    }
  }

  /// Whether the value is decoded: false only while it is still its archived text.
  var isDecoded: Bool { box.holdsValue }

  static func == (lhs: DeferredJSON, rhs: DeferredJSON) -> Bool {
    lhs.box === rhs.box || lhs.value == rhs.value
  }

  private enum CodingKeys: String, CodingKey {
    case part, checksum
  }

  /// Takes the text from the archive's parts and checks its checksum, without decoding it.
  ///
  /// - Throws: `DecodingError.dataCorrupted` outside an archive, for a part the archive does not have, or
  ///   when the checksum does not hold.
  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    guard let parts = ArchiveParts.key.flatMap({ decoder.userInfo[$0] }) as? ArchiveParts,
      let json = parts.part(try container.decode(Int.self, forKey: .part)),
      try container.decode(UInt64.self, forKey: .checksum) == Checksum.fnv1a(json)
    else {
      throw DecodingError.dataCorruptedError(forKey: .part, in: container, debugDescription: "no such part, or its checksum does not hold")
    }
    box = ArchiveBox(Text(json: json, userInfo: decoder.userInfo.compactMapValues { $0 as? Bool }), empty: Value())
  }

  /// Adds the text read, while the value is unchanged, else the value's JSON with the archive's flags, to
  /// the archive's parts, and writes where it is.
  ///
  /// - Throws: `EncodingError.invalidValue` outside an archive.
  func encode(to encoder: any Encoder) throws {
    guard let parts = ArchiveParts.key.flatMap({ encoder.userInfo[$0] }) as? ArchiveParts else {
      throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath, debugDescription: "outside a cluster's archive"))
    }
    let (text, value) = box.withForm { text, value in (text?.json, value) }
    let json = try text ?? {
      let inner = JSONEncoder()
      inner.userInfo = encoder.userInfo.compactMapValues { $0 as? Bool }
      return try inner.encode(value)
    }()
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(parts.add(json), forKey: .part)
    try container.encode(Checksum.fnv1a(json), forKey: .checksum)
  }
}

/// The texts a cluster's archive keeps on lines of their own, beside its JSON: deferred values add theirs
/// when the cluster is encoded, and take them back by number when it is decoded.
final class ArchiveParts: Sendable {
  /// The `userInfo` key under which an archive's coders hold its parts.
  static let key = CodingUserInfoKey(rawValue: "grpclab.archive-parts")

  private let parts: Mutex<[Data]>

  init(_ parts: [Data] = []) {
    self.parts = Mutex(parts)
  }

  /// Every part, in order.
  var all: [Data] { parts.withLock { $0 } }

  /// Adds `text`, returning its number.
  func add(_ text: Data) -> Int {
    parts.withLock { parts in
      parts.append(text)
      return parts.count - 1
    }
  }

  /// The part numbered `index`, if there is one.
  func part(_ index: Int) -> Data? {
    parts.withLock { $0.indices.contains(index) ? $0[index] : nil }
  }
}

/// A value with an empty form, which a deferred value takes when its text does not decode.
protocol EmptyValue {
  init()
}

extension Dictionary: EmptyValue {}
