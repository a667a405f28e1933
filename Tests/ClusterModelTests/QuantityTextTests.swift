import Testing

@testable import ClusterModel

/// Quantities in the API server's canonical form, by the family of their suffix.
@Suite struct QuantityTextTests {
  @Test(arguments: [
    ("1", "1"), ("1000m", "1"), ("1500m", "1500m"), ("0.5", "500m"), ("2000", "2k"), ("1.5k", "1500"), ("10m", "10m"),
    ("1024Mi", "1Gi"), ("1.5Gi", "1536Mi"), ("128Mi", "128Mi"), ("512Ki", "512Ki"), ("0.5Ki", "512"), ("1000Ki", "1000Ki"),
    ("1e3", "1e3"), ("1.5e3", "1500"), ("12e6", "12e6"), ("0.0000000001", "1n"), ("-1", "-1"), ("+2", "2"), ("0", "0"),
    ("1e400", "1e400"),
  ])
  func canonicalForms(text: String, canonical: String) throws {
    #expect(try QuantityText.canonical(text) == canonical)
  }

  @Test(arguments: [("abc", QuantityText.pattern), ("1.2.3", QuantityText.pattern), ("--1", QuantityText.pattern), ("1Qi", "unable to parse quantity's suffix")])
  func refusals(text: String, message: String) {
    #expect(throws: QuantityError(message: message)) { try QuantityText.canonical(text) }
  }
}
