import Testing

@testable import ClusterModel

/// Results kept by input: worked out once while kept, never kept for an input whose work threw, and worked
/// out again once the store started afresh or dropped them.
@Suite struct RecentResultsTests {
  struct Refused: Error {}

  @Test func aResultIsWorkedOutOnceWhileKeptAndAThrowIsNotKept() {
    let recent = RecentResults<Int, String>(capacity: 3)
    var work = 0
    func result(_ input: Int) -> String? {
      try? recent.result(for: input) { () throws(Refused) -> String in
        work += 1
        guard input >= 0 else { throw Refused() }
        return String(input)
      }
    }
    #expect([result(1), result(2), result(1), result(2)] == ["1", "2", "1", "2"] && work == 2)
    #expect(result(-1) == nil && result(-1) == nil && work == 4, "a throw is not kept")
    #expect(result(3) == "3" && result(4) == "4" && work == 6, "the fourth result starts the store afresh")
    #expect(result(1) == "1" && work == 7)
  }

  @Test func comparedResultsDropTheOldestFirst() {
    let recent = RecentComparedResults<[Int], Int>(capacity: 2)
    var work = 0
    func sum(_ input: [Int]) -> Int {
      recent.result(for: input) {
        work += 1
        return input.reduce(0, +)
      }
    }
    #expect(sum([1, 2]) == 3 && sum([3]) == 3 && sum([1, 2]) == 3 && work == 2)
    #expect(sum([4]) == 4 && sum([3]) == 3 && work == 3, "the newest two are kept")
    #expect(sum([1, 2]) == 3 && work == 4, "the oldest was dropped")
  }

  @Test func utf8KeysTellCanonicallyEquivalentStringsApart() {
    let precomposed = "caf\u{E9}"
    let combining = "cafe\u{301}"
    #expect(precomposed == combining, "Swift's strings compare canonically")
    #expect(UTF8Key(precomposed) != UTF8Key(combining))
    #expect(UTF8Key(precomposed) == UTF8Key("caf" + "\u{E9}"))
    #expect(UTF8Key(precomposed).hashValue == UTF8Key(String(decoding: Array(precomposed.utf8), as: UTF8.self)).hashValue)
    #expect(Set([UTF8Key(precomposed), UTF8Key(combining), UTF8Key(precomposed)]).count == 2)
    let manifest = String(repeating: "kind: ConfigMap\n", count: 9) + "data"
    #expect(UTF8Key(manifest) == UTF8Key(String(repeating: "kind: ConfigMap\n", count: 9) + "data"))
    #expect(UTF8Key(manifest) != UTF8Key(manifest.dropLast() + "x"), "a difference past the last whole eight bytes")
    #expect(UTF8Key(manifest) != UTF8Key("x" + manifest.dropFirst()), "a difference in the first eight")
    #expect(UTF8Key(manifest) != UTF8Key(manifest + " "))
  }
}
