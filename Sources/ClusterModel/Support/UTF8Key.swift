/// A string as a key of a table of results, by its UTF-8 bytes: strings that are only canonically
/// equivalent are different keys, and the bytes are hashed at once rather than one by one.
public struct UTF8Key: Hashable, Sendable {
  /// The string.
  public let text: String

  /// The key of `text`.
  public init(_ text: String) {
    self.text = text
  }

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.text.utf8.count == rhs.text.utf8.count && lhs.text.utf8.elementsEqual(rhs.text.utf8)
  }

  public func hash(into hasher: inout Hasher) {
    var text = text
    text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
  }
}
