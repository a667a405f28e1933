import Testing

@testable import ClusterTools

/// Go's `strconv.ParseInt(s, 0, 64)` and `ParseBool`, as cobra parses int and bool flags.
@Suite struct GoNumbersTests {
  @Test(arguments: [
    ("10", 10), ("-3", -3), ("+7", 7), ("010", 8), ("0x1F", 31), ("0o17", 15), ("0b101", 5), ("1_000", 1000), ("0_7", 7),
    ("-9223372036854775808", Int.min), ("9223372036854775807", Int.max),
  ])
  func goIntegersParseAsStrconvDoes(text: String, value: Int) throws {
    #expect(try GoNumbers.integer(text) == value)
  }

  @Test(arguments: [
    ("", GoNumbers.Problem.invalidSyntax), ("abc", .invalidSyntax), ("08", .invalidSyntax), ("_1", .invalidSyntax), ("1_", .invalidSyntax),
    ("1__0", .invalidSyntax), ("0x", .invalidSyntax), ("1.0", .invalidSyntax), ("9223372036854775808", .outOfRange),
    ("-9223372036854775809", .outOfRange), ("99999999999999999999", .outOfRange),
  ])
  func goIntegersRefuseWhatStrconvRefuses(text: String, problem: GoNumbers.Problem) {
    #expect(throws: problem) { try GoNumbers.integer(text) }
  }

  @Test(arguments: [("true", true), ("T", true), ("1", true), ("False", false), ("0", false), ("f", false)])
  func goBoolsParseAsStrconvDoes(text: String, value: Bool) throws {
    #expect(try GoNumbers.bool(text) == value)
  }

  @Test(arguments: ["maybe", "yes", "TRue", ""])
  func goBoolsRefuseWhatStrconvRefuses(text: String) {
    #expect(throws: GoNumbers.Problem.invalidSyntax) { try GoNumbers.bool(text) }
  }
}
