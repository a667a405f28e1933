/// A checksum that finds bytes changed after an archive was written.
enum Checksum {
  /// The checksum of `bytes`, seeded with their count: FNV-1a over 64-bit words, each step folding the
  /// product's high half into its low one (so that a change in a word's top bits does not stay there), in
  /// four lanes that each take every fourth word (so that a snapshot's megabytes are not one long chain of
  /// multiplications), then the words and bytes left over, into the lanes' combination.
  static func fnv1a(_ bytes: some Collection<UInt8>) -> UInt64 {
    let prime: UInt64 = 0x0000_0100_0000_01B3
    let basis: UInt64 = 0xCBF2_9CE4_8422_2325
    func step(_ hash: UInt64, _ word: UInt64) -> UInt64 {
      let product = (hash ^ word) &* prime
      return product ^ (product >> 32)
    }
    let hash = bytes.withContiguousStorageIfAvailable { buffer in
      let raw = UnsafeRawBufferPointer(buffer)
      func word(_ offset: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
      var lanes = (basis ^ UInt64(raw.count), basis &+ 1, basis &+ 2, basis &+ 3)
      var offset = 0
      while offset + 32 <= raw.count {
        lanes.0 = step(lanes.0, word(offset))
        lanes.1 = step(lanes.1, word(offset + 8))
        lanes.2 = step(lanes.2, word(offset + 16))
        lanes.3 = step(lanes.3, word(offset + 24))
        offset += 32
      }
      var hash = lanes.0
      for lane in [lanes.1, lanes.2, lanes.3] { hash = step(hash, lane) }
      while offset + 8 <= raw.count {
        hash = step(hash, word(offset))
        offset += 8
      }
      for byte in raw[offset...] { hash = step(hash, UInt64(byte)) }
      return hash
    }
    return hash ?? fnv1a(Array(bytes))
  }

  /// Plain 32-bit FNV-1a of `bytes`, byte by byte, as Go's `hash/fnv` computes it: what Kubernetes hashes
  /// a pod template with, and HAProxy's `balance source` stands for here.
  static func fnv1a32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    bytes.reduce(2_166_136_261) { ($0 ^ UInt32($1)) &* 16_777_619 }
  }
}
