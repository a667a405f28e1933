import Testing

@testable import ClusterModel

/// The archive's checksum finds a changed byte anywhere, in the lanes or in the words and bytes left over.
@Suite struct ChecksumTests {
  @Test func aByteChangedAnywhereChangesTheChecksum() {
    let bytes = (0..<77).map { UInt8(truncatingIfNeeded: $0 &* 37) }
    let checksum = Checksum.fnv1a(bytes)
    for index in bytes.indices {
      var changed = bytes
      changed[index] ^= 0x01
      #expect(Checksum.fnv1a(changed) != checksum, "byte \(index)")
    }
    #expect(Checksum.fnv1a(bytes.dropLast()) != checksum)
    #expect(Checksum.fnv1a(bytes[...]) == checksum, "a slice sums as the array does")
    #expect(Checksum.fnv1a(AnySequenceOfBytes(bytes)) == checksum, "bytes without contiguous storage too")
  }

  /// A collection of bytes without contiguous storage.
  struct AnySequenceOfBytes: Collection {
    var bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var startIndex: Int { bytes.startIndex }
    var endIndex: Int { bytes.endIndex }
    func index(after i: Int) -> Int { i + 1 }
    subscript(position: Int) -> UInt8 { bytes[position] }
  }
}
