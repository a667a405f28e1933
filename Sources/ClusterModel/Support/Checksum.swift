/// FNV-1a over 64-bit words: a checksum that finds bytes changed after an archive was written.
enum Checksum {
  /// The checksum of `bytes`, seeded with their count: four lanes of words, each taking every fourth
  /// word (so that a snapshot's megabytes are not one long chain of multiplications), then the words and
  /// bytes left over, into their combination.
  static func fnv1a(_ bytes: some Collection<UInt8>) -> UInt64 {
    let prime: UInt64 = 0x0000_0100_0000_01B3
    let basis: UInt64 = 0xCBF2_9CE4_8422_2325
    let words = bytes.withContiguousStorageIfAvailable { buffer in
      let raw = UnsafeRawBufferPointer(buffer)
      func word(_ offset: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
      var lanes = (basis ^ UInt64(raw.count), basis &+ 1, basis &+ 2, basis &+ 3)
      var offset = 0
      while offset + 32 <= raw.count {
        lanes.0 = (lanes.0 ^ word(offset)) &* prime
        lanes.1 = (lanes.1 ^ word(offset + 8)) &* prime
        lanes.2 = (lanes.2 ^ word(offset + 16)) &* prime
        lanes.3 = (lanes.3 ^ word(offset + 24)) &* prime
        offset += 32
      }
      var hash = lanes.0
      for lane in [lanes.1, lanes.2, lanes.3] { hash = (hash ^ lane) &* prime }
      while offset + 8 <= raw.count {
        hash = (hash ^ word(offset)) &* prime
        offset += 8
      }
      for byte in raw[offset...] { hash = (hash ^ UInt64(byte)) &* prime }
      return hash
    }
    return words ?? fnv1a(Array(bytes))
  }
}
