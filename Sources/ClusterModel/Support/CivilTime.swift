/// The calendar fields of a `SimTime` in UTC.
public struct CivilTime: Equatable, Sendable {
  public var year: Int
  public var month: Int
  public var day: Int
  public var hour: Int
  public var minute: Int
  public var second: Int
  /// Nanoseconds within the second.
  public var nanosecond: Int
  /// 0 = Sunday … 6 = Saturday.
  public var weekday: Int

  /// Splits `time` into UTC calendar fields (proleptic Gregorian calendar).
  public init(_ time: SimTime) {
    let seconds = time.seconds
    let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    let secondOfDay = Int(seconds - Int64(days) * 86_400)
    nanosecond = Int(time.nanoseconds - seconds * 1_000_000_000)
    hour = secondOfDay / 3600
    minute = secondOfDay % 3600 / 60
    second = secondOfDay % 60
    weekday = ((days % 7) + 11) % 7
    // Howard Hinnant's civil_from_days.
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  }

  /// The instant of these fields, for building fixed times in code and tests.
  public static func time(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> SimTime {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return SimTime(seconds: Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second))
  }
}

extension SimTime {
  /// RFC 3339 with whole seconds, as Kubernetes prints timestamps: `2023-05-19T15:40:14Z`.
  public var rfc3339: String { rfc3339(fractionDigits: 0) }

  /// The Quarkus console log timestamp: `2023-05-19 15:40:14,123`.
  public var quarkusLogTimestamp: String {
    let c = CivilTime(self)
    var text = FieldText()
    text.date(c)
    text.append(" ")
    text.clock(c)
    text.append(",")
    text.number(c.nanosecond / 1_000_000, width: 3)
    return text.string
  }

  /// The HTTP `date` header form (RFC 7231 IMF-fixdate): `Fri, 19 May 2023 15:40:14 GMT`.
  public var httpDate: String {
    let c = CivilTime(self)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    var text = FieldText()
    text.append(days[c.weekday] + ", ")
    text.number(c.day)
    text.append(" " + months[c.month - 1] + " ")
    text.number(c.year, width: 1)
    text.append(" ")
    text.clock(c)
    text.append(" GMT")
    return text.string
  }

  /// RFC 3339 with nanoseconds, as `kubectl logs --timestamps` prints: `2023-05-19T15:40:14.123456789Z`.
  public var rfc3339Nano: String { rfc3339(fractionDigits: 9) }

  /// RFC 3339 with a fixed number of fraction digits, truncated: Envoy logs use 6, access logs 3, Go's
  /// `time.RFC3339` none.
  public func rfc3339(fractionDigits: Int) -> String {
    let digits = min(max(fractionDigits, 0), 9)
    let c = CivilTime(self)
    var text = FieldText()
    text.date(c)
    text.append("T")
    text.clock(c)
    if digits > 0 {
      var divisor = 1
      for _ in digits..<9 { divisor *= 10 }
      text.append(".")
      text.number(c.nanosecond / divisor, width: digits)
    }
    text.append("Z")
    return text.string
  }
}

/// A timestamp's text, written byte by byte into a buffer on the stack: every log line of every pod and
/// proxy carries one.
private struct FieldText {
  /// Room for the longest text: `Fri, 19 May 2023 15:40:14 GMT` with a year of 20 digits and a sign.
  private static let capacity = 64
  /// The text's bytes, in a tuple that stays on the stack.
  private var bytes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
  /// How many of `bytes` hold text.
  private var count = 0

  /// The text written so far.
  var string: String {
    var bytes = bytes
    return withUnsafeBytes(of: &bytes) { String(decoding: $0.prefix(count), as: UTF8.self) }
  }

  /// Adds one byte; past `capacity`, nothing.
  private mutating func append(byte: UInt8) {
    guard count < Self.capacity else { return }
    withUnsafeMutableBytes(of: &bytes) { $0[count] = byte }
    count += 1
  }

  /// Adds `text`.
  mutating func append(_ text: String) {
    for byte in text.utf8 { append(byte: byte) }
  }

  /// `value` in decimal, padded with zeros to `width` digits; a negative value keeps its sign before them.
  mutating func number(_ value: Int, width: Int = 2) {
    if value < 0 { append(byte: UInt8(ascii: "-")) }
    let magnitude = value.magnitude
    var divisor: UInt = 1
    var digits = 1
    while magnitude / divisor >= 10 {
      divisor *= 10
      digits += 1
    }
    for _ in digits..<max(width, digits) { append(byte: UInt8(ascii: "0")) }
    while divisor > 0 {
      append(byte: UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
      divisor /= 10
    }
  }

  /// `2023-05-19`.
  mutating func date(_ c: CivilTime) {
    number(c.year, width: 1)
    append("-")
    number(c.month)
    append("-")
    number(c.day)
  }

  /// `15:40:14`.
  mutating func clock(_ c: CivilTime) {
    number(c.hour)
    append(":")
    number(c.minute)
    append(":")
    number(c.second)
  }
}
