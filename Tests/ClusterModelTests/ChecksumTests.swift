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
    #expect(Checksum.fnv1a(Scattered(bytes)) == checksum, "bytes without contiguous storage too")
  }

  @Test func twoChangedTopBitsDoNotCancel() {
    let bytes = [UInt8](repeating: 0x5A, count: 100)
    for (first, second) in [(7, 39), (7, 15), (7, 71), (63, 95)] {
      var changed = bytes
      changed[first] ^= 0x80
      changed[second] ^= 0x80
      #expect(Checksum.fnv1a(changed) != Checksum.fnv1a(bytes), "bytes \(first) and \(second)")
    }
  }

  /// Snapshots written by this build are read by it only if the checksum stays what it is.
  @Test func theChecksumIsPinned() {
    #expect(Checksum.fnv1a([UInt8]()) == 0x3C90_C59E_4627_70C4)
    #expect(Checksum.fnv1a(Array("grpclab".utf8)) == 0xA8E1_2475_7297_1E17)
    #expect(Checksum.fnv1a((0..<77).map { UInt8($0) }) == 0xFF9E_216F_3D73_C1AB)
  }

  /// A collection of bytes without contiguous storage.
  struct Scattered: Collection {
    var bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var startIndex: Int { bytes.startIndex }
    var endIndex: Int { bytes.endIndex }
    func index(after i: Int) -> Int { i + 1 }
    subscript(position: Int) -> UInt8 { bytes[position] }
  }

  /// The published FNV-1a 32-bit test vectors.
  @Test(arguments: [("", UInt32(0x811C_9DC5)), ("a", 0xE40C_292C), ("foobar", 0xBF9C_F968)])
  func fnv1a32MatchesItsTestVectors(text: String, hash: UInt32) {
    #expect(Checksum.fnv1a32(text.utf8) == hash)
  }
}
