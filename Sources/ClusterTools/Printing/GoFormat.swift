import ClusterModel
import Foundation

/// Numbers, durations and gRPC codes as Go's `fmt`, `time` and `grpc/codes` packages print them.
enum GoFormat {
  /// `%g`: the fewest digits that read back as `value`, in exponent form below 1e-4 and from 1e6
  /// (`0.0056869`, `8.8632e-05`, `1.234567e+06`).
  static func g(_ value: Double) -> String {
    shortest(value) { power in power < -4 || power >= 6 }
  }

  /// `encoding/json`'s float64: the fewest digits that read back as `value`, in exponent form below 1e-6
  /// and from 1e21, with a one-digit negative exponent (`1e-7`).
  static func json(_ value: Double) -> String {
    let text = shortest(value) { power in power < -6 || power >= 21 }
    return text.replacingOccurrences(of: "e-0", with: "e-")
  }

  /// The fewest digits that read back as `value`, in exponent form when `exponential` says so for its
  /// power of ten; the exponent has at least two digits.
  private static func shortest(_ value: Double, exponential: (Int) -> Bool) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : value < 0 ? "-Inf" : "+Inf" }
    if value == 0 { return "0" }
    let sign = value < 0 ? "-" : ""
    // Swift prints the same shortest digits; only the layout differs.
    let text = String(describing: abs(value))
    let mantissa = text.prefix { $0 != "e" }
    let exponent = Int(text.drop { $0 != "e" }.dropFirst()) ?? 0
    let whole = mantissa.prefix { $0 != "." }
    let fraction = mantissa.drop { $0 != "." }.dropFirst()
    var digits = Array(whole + fraction)
    var point = whole.count + exponent
    while digits.first == "0" {
      digits.removeFirst()
      point -= 1
    }
    while digits.last == "0" { digits.removeLast() }
    let power = point - 1
    if exponential(power) {
      let rest = digits.count > 1 ? "." + String(digits.dropFirst()) : ""
      let magnitude = (power.magnitude < 10 ? "0" : "") + String(power.magnitude)
      return sign + String(digits[0]) + rest + "e" + (power < 0 ? "-" : "+") + magnitude
    }
    if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + String(digits) }
    if point >= digits.count { return sign + String(digits) + String(repeating: "0", count: point - digits.count) }
    return sign + String(digits[..<point]) + "." + String(digits[point...])
  }

  /// `%.Ng`: `significant` digits, trailing zeros dropped; C's `printf` lays it out as Go does.
  static func g(_ value: Double, significant: Int) -> String {
    String(format: "%.\(significant)g", value)
  }

  /// `%.Nf`.
  static func f(_ value: Double, decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
  }

  /// `time.Duration`'s `String`: `0s`, `850µs`, `59.8524ms`, `1.5s`, `2m0.25s`, `1h0m0s`.
  static func duration(_ duration: SimDuration) -> String {
    let nanoseconds = duration.nanoseconds
    guard nanoseconds != 0 else { return "0s" }
    let sign = nanoseconds < 0 ? "-" : ""
    let magnitude = nanoseconds.magnitude
    func decimal(_ value: UInt64, unit: UInt64) -> String {
      let fraction = value % unit
      guard fraction > 0 else { return String(value / unit) }
      let width = String(unit).count - 1
      var digits = String(fraction)
      digits = String(repeating: "0", count: width - digits.count) + digits
      while digits.hasSuffix("0") { digits.removeLast() }
      return "\(value / unit).\(digits)"
    }
    if magnitude < 1_000 { return sign + "\(magnitude)ns" }
    if magnitude < 1_000_000 { return sign + decimal(magnitude, unit: 1_000) + "µs" }
    if magnitude < 1_000_000_000 { return sign + decimal(magnitude, unit: 1_000_000) + "ms" }
    let hours = magnitude / 3_600_000_000_000
    let minutes = magnitude / 60_000_000_000 % 60
    let seconds = decimal(magnitude % 60_000_000_000, unit: 1_000_000_000) + "s"
    if hours > 0 { return sign + "\(hours)h\(minutes)m" + seconds }
    if minutes > 0 { return sign + "\(minutes)m" + seconds }
    return sign + seconds
  }

  /// A duration flag as `time.ParseDuration` reads it: `5s`, `1m30s`, `250ms`, `1.5h`; a bare `0` is zero.
  static func parseDuration(_ text: String) -> SimDuration? {
    if text == "0" { return SimDuration(nanoseconds: 0) }
    let units: [(String, Double)] = [
      ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 6e10), ("h", 3.6e12),
    ]
    var rest = Substring(text)
    var total = 0.0
    guard !rest.isEmpty else { return nil }
    while !rest.isEmpty {
      let number = rest.prefix { $0.isNumber || $0 == "." }
      guard let value = Double(number) else { return nil }
      rest = rest.dropFirst(number.count)
      let letters = rest.prefix { !$0.isNumber && $0 != "." }
      guard let scale = units.first(where: { $0.0 == letters })?.1 else { return nil }
      rest = rest.dropFirst(letters.count)
      total += value * scale
    }
    guard total < 9.2e18 else { return nil }
    return SimDuration(nanoseconds: Int64(total))
  }
}

extension GRPCStatusCode {
  /// The Go names of gRPC status codes, by code (`Unavailable`), as `rpc error: code = …` prints them.
  static let goNames = [
    "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied",
    "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable",
    "DataLoss", "Unauthenticated",
  ]

  /// The code's Go name.
  var goName: String { Self.goNames[rawValue] }
}
