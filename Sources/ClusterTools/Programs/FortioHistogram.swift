/// fortio's statistics of a set of durations: a counter (count, mean, deviation, range, sum) and a
/// histogram over its fixed buckets, printed as `fortio load` prints them.
struct FortioHistogram {
  /// Bucket bounds in units of the resolution (`-r`, 0.001 s by default): finer near zero, coarser above.
  private static let bounds: [Double] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100,
    120, 140, 160, 180, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 2000, 3000, 4000, 5000, 7500,
    10000, 20000, 30000, 40000, 50000, 75000, 100000,
  ]

  let resolution: Double
  private(set) var count = 0
  private(set) var sum = 0.0
  private var sumOfSquares = 0.0
  private(set) var min = 0.0
  private(set) var max = 0.0
  /// Counts per bucket; the last one holds what lies above the top bound.
  private var counts = Array(repeating: 0, count: bounds.count + 1)

  init(resolution: Double) {
    self.resolution = resolution
  }

  /// Adds one value, in seconds. A value on a bound falls in the bucket that ends there.
  mutating func record(_ value: Double) {
    if count == 0 || value < min { min = value }
    if count == 0 || value > max { max = value }
    count += 1
    sum += value
    sumOfSquares += value * value
    let scaled = value / resolution - 0.0001
    let index = scaled <= 0 ? 0 : Self.bounds.firstIndex { $0 > scaled.rounded(.down) } ?? Self.bounds.count
    counts[index] += 1
  }

  var average: Double { count == 0 ? 0 : sum / Double(count) }

  /// The population standard deviation.
  var deviation: Double {
    guard count > 0 else { return 0 }
    let mean = average
    return (Swift.max(sumOfSquares / Double(count) - mean * mean, 0)).squareRoot()
  }

  /// One printed bucket: its range, clipped to the values seen, and the share of values up to its end.
  private struct Row {
    var start: Double
    var end: Double
    var percent: Double
    var count: Int
  }

  private var rows: [Row] {
    var rows: [Row] = []
    var seen = 0
    for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
      seen += bucketCount
      let start = index == 0 ? min : Self.bounds[index - 1] * resolution
      let end = index < Self.bounds.count ? Self.bounds[index] * resolution : max
      rows.append(Row(
        start: Swift.max(start, min), end: Swift.min(end, max), percent: 100 * Double(seen) / Double(count),
        count: bucketCount))
    }
    return rows
  }

  /// The value below which `percentile` % of the values lie, interpolated within its bucket.
  func percentile(_ percentile: Double) -> Double {
    guard count > 0 else { return 0 }
    if percentile >= 100 { return max }
    var previous = 100 / Double(count)
    if percentile <= previous { return min }
    for row in rows {
      if percentile <= row.percent {
        return row.start + (percentile - previous) / (row.percent - previous) * (row.end - row.start)
      }
      previous = row.percent
    }
    return max
  }

  /// `Name : count N avg … +/- … min … max … sum …`.
  func counterLine(_ name: String) -> String {
    // An empty counter's average and deviation are 0/0 in Go: NaN.
    guard count > 0 else { return "\(name) : count 0 avg NaN +/- NaN min 0 max 0 sum 0\n" }
    return "\(name) : count \(count) avg \(GoFormat.g(average, significant: 8)) +/- \(GoFormat.g(deviation, significant: 4))"
      + " min \(GoFormat.g(min)) max \(GoFormat.g(max)) sum \(GoFormat.g(sum, significant: 9))\n"
  }

  /// The counter line, the buckets and the percentiles `targets` asks for; `no data` for an empty one.
  func printed(_ name: String, targets: [Double]) -> String {
    guard count > 0 else { return "\(name) : no data\n" }
    var text = counterLine(name) + "# range, mid point, percentile, count\n"
    for (offset, row) in rows.enumerated() {
      let g = { (value: Double) in GoFormat.g(value, significant: 6) }
      text += "\(offset == 0 ? ">=" : ">") \(g(row.start)) <= \(g(row.end)) , \(g((row.start + row.end) / 2)) , "
        + "\(GoFormat.f(row.percent, decimals: 2)), \(row.count)\n"
    }
    return text + targetLines(targets)
  }

  /// The percentiles `targets` asks for, one `# target` line each.
  func targetLines(_ targets: [Double]) -> String {
    targets.map { "# target \(GoFormat.g($0))% \(GoFormat.g(percentile($0), significant: 6))\n" }.joined()
  }
}
