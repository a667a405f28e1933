/// Aligns tab-separated cells into columns the way Go's `text/tabwriter` does for kubectl.
///
/// A column is aligned over a block of consecutive lines that all have a cell in it; the text after a
/// line's last tab is not part of any column and is never padded.
///
///     TabWriter(minWidth: 6, padding: 3).format(["NAME\tREADY", "web-1\t1/1"])
///     // "NAME    READY\nweb-1   1/1\n"
struct TabWriter {
  var minWidth: Int
  var padding: Int

  /// The aligned text, one output line per input line, each ending in a newline.
  func format(_ lines: [String]) -> String {
    let cells = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    var output = ""
    var widths: [Int] = []
    layout(cells, 0, cells.count, &widths, &output)
    return output
  }

  private func layout(_ cells: [[String]], _ start: Int, _ end: Int, _ widths: inout [Int], _ output: inout String) {
    let column = widths.count
    var first = start
    var this = start
    while this < end {
      if column >= cells[this].count - 1 {
        this += 1
        continue
      }
      write(cells, first, this, widths, &output)
      first = this
      var width = minWidth
      while this < end && column < cells[this].count - 1 {
        width = max(width, cells[this][column].unicodeScalars.count + padding)
        this += 1
      }
      widths.append(width)
      layout(cells, first, this, &widths, &output)
      widths.removeLast()
      first = this
    }
    write(cells, first, end, widths, &output)
  }

  private func write(_ cells: [[String]], _ start: Int, _ end: Int, _ widths: [Int], _ output: inout String) {
    guard start < end else { return }
    for line in cells[start..<end] {
      for (index, cell) in line.enumerated() {
        output += cell
        if index < line.count - 1 {
          let width = index < widths.count ? widths[index] : cell.unicodeScalars.count
          output += String(repeating: " ", count: max(0, width - cell.unicodeScalars.count))
        }
      }
      output += "\n"
    }
  }
}
