/// FNV-1a over 64-bit words: a checksum that finds bytes changed after an archive was written.
enum Checksum {
  /// The checksum of `bytes`, eight at a time, seeded with their count.
  static func fnv1a(_ bytes: some Collection<UInt8>) -> UInt64 {
    let prime: UInt64 = 0x0000_0100_0000_01B3
    let words = bytes.withContiguousStorageIfAvailable { buffer in
      let raw = UnsafeRawBufferPointer(buffer)
      var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(raw.count)
      var offset = 0
      while offset + 8 <= raw.count {
        hash = (hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) &* prime
        offset += 8
      }
      for byte in raw[offset...] { hash = (hash ^ UInt64(byte)) &* prime }
      return hash
    }
    return words ?? fnv1a(Array(bytes))
  }
}
