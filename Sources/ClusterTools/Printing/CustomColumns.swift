/// kubectl's `-o custom-columns=HEADER:PATH,…` and `-o custom-columns-file=FILE`: a row per object whose
/// cells are what each column's JSONPath reaches in it, joined by `,`, or `<none>`.
struct CustomColumns {
  /// A spec kubectl refuses, in its words.
  struct Failure: Error {
    var message: String
  }

  private let headers: [String]
  private let paths: [JSONPath]

  /// Parses `HEADER:PATH,…`.
  init(spec: String) throws(Failure) {
    guard !spec.isEmpty else { throw Failure(message: "custom-columns format specified but no custom columns given") }
    var headers: [String] = []
    var expressions: [String] = []
    for part in spec.split(separator: ",", omittingEmptySubsequences: false) {
      guard let colon = part.firstIndex(of: ":") else {
        throw Failure(message: "unexpected custom-columns spec: \(part), expected <header>:<json-path-expr>")
      }
      headers.append(String(part[..<colon]))
      expressions.append(String(part[part.index(after: colon)...]))
    }
    try self.init(headers: headers, expressions: expressions)
  }

  /// Parses a columns file: a line of headers, then a line of paths, both separated by blanks.
  init(file text: String) throws(Failure) {
    // Lines as `bufio.ScanLines` reads them: a final newline ends the last line, and `\r` before a newline
    // is dropped.
    var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line))
    }
    if text.unicodeScalars.last == "\n" { lines.removeLast() }
    let expected = "Expected format is one line of space separated headers, one line of space separated column specs."
    guard let first = lines.first else { throw Failure(message: "invalid template, missing header line. \(expected)") }
    guard lines.count > 1 else { throw Failure(message: "invalid template, missing spec line. \(expected)") }
    let headers = first.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    let expressions = lines[1].split(whereSeparator: { $0.isWhitespace }).map(String.init)
    guard headers.count == expressions.count else {
      throw Failure(message: "number of headers (\(headers.count)) and field specifications (\(expressions.count)) don't match")
    }
    try self.init(headers: headers, expressions: expressions)
  }

  private init(headers: [String], expressions: [String]) throws(Failure) {
    self.headers = headers
    var paths: [JSONPath] = []
    for expression in expressions {
      let template = try Self.relaxed(expression)
      do {
        paths.append(try JSONPath(template))
      } catch {
        throw Failure(message: error.message)
      }
    }
    self.paths = paths
  }

  /// kubectl's `RelaxedJSONPathExpression`: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all become `{.a.b}`.
  private static func relaxed(_ expression: String) throws(Failure) -> String {
    guard !expression.isEmpty else { return expression }
    var body = Substring(expression)
    if body.count > 2, body.first == "{", body.last == "}" { body = body.dropFirst().dropLast() }
    if body.count > 1, body.first == "." { body = body.dropFirst() }
    guard !body.contains("{"), !body.contains("}") else {
      throw Failure(message: "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'")
    }
    return "{.\(body)}"
  }

  /// The table for `objects`, with the header row unless `--no-headers`.
  func render(_ objects: [JSONValue], headers showHeaders: Bool) -> String {
    var rows = showHeaders ? [headers.joined(separator: "\t")] : []
    for object in objects {
      rows.append(paths.map { path in
        let values = path.values(in: object)
        return values.isEmpty ? "<none>" : values.map(\.goDescription).joined(separator: ",")
      }.joined(separator: "\t"))
    }
    return TabWriter(minWidth: 6, padding: 3).format(rows)
  }
}
