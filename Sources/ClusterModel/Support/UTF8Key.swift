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
    var (left, right) = (lhs.text, rhs.text)
    return left.withUTF8 { left in right.withUTF8 { right in Self.same(UnsafeRawBufferPointer(left), UnsafeRawBufferPointer(right)) } }
  }

  /// Whether two buffers hold the same bytes, compared eight at a time: keys are often whole manifests.
  private static func same(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
    guard left.count == right.count else { return false }
    var offset = 0
    while offset + 8 <= left.count {
      guard left.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      else { return false }
      offset += 8
    }
    return left[offset...].elementsEqual(right[offset...])
  }

  public func hash(into hasher: inout Hasher) {
    var text = text
    text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
  }
}
