import ClusterModel
import Foundation
import X509

/// `grpcurl` v1.8.7 on the learner's workstation: Go-style flags (`-v` or `--v`, `-d=x` or `-d x`),
/// `.proto` sources, `list`, `describe` and unary calls through the router, with grpcurl's layout, error
/// texts and exit codes (64 + the gRPC status code for a failed call).
struct Grpcurl {
  var invocation: Invocation

  static let version = "v1.8.7"
  static let userAgent = "grpcurl/\(version) grpc-go/1.48.0"

  /// grpcurl stops early with this output.
  private struct Stop: Error {
    var result: ToolResult

    init(_ result: ToolResult) { self.result = result }
  }

  /// Why input was refused, to be worded into grpcurl's message.
  struct Reason: Error {
    var text: String

    init(_ text: String) { self.text = text }
  }

  private typealias Options = GoFlags.Parsed

  mutating func run(_ arguments: [String]) -> ToolResult {
    let options: Options
    switch Self.parse(arguments) {
    case .success(let parsed): options = parsed
    case .failure(let stop): return stop.result
    }
    if options.has("help") { return ToolResult(stderr: Self.usage) }
    if options.has("version") { return ToolResult(stderr: "grpcurl \(Self.version)\n") }
    let verbosity = options.has("vv") ? 2 : options.has("v") ? 1 : 0
    for name in ["connect-timeout", "max-time"] {
      if let text = options.value(name), let seconds = Double(text), seconds < 0 {
        return Self.usageError("The -\(name) argument must not be negative.")
      }
    }
    let plaintext = options.has("plaintext")
    if plaintext && options.has("insecure") { return Self.usageError("The -plaintext and -insecure arguments are mutually exclusive.") }
    if plaintext && options.value("cert") != nil { return Self.usageError("The -plaintext and -cert arguments are mutually exclusive.") }
    if plaintext && options.value("key") != nil { return Self.usageError("The -plaintext and -key arguments are mutually exclusive.") }
    if (options.value("cert") == nil) != (options.value("key") == nil) {
      return Self.usageError("The -cert and -key arguments must be used together and both be present.")
    }
    let format = options.value("format") ?? "json"
    guard ["json", "text"].contains(format) else { return Self.usageError("The -format option must be 'json' or 'text'.") }
    var warnings = ""
    if options.has("emit-defaults") && format != "json" { warnings += "Warning: The -emit-defaults is only used when using json format.\n" }

    var rest = options.arguments[...]
    guard !rest.isEmpty else { return Self.usageError("Too few arguments.", warnings: warnings) }
    var target: String?
    if let first = rest.first, first != "list" && first != "describe" {
      target = first
      rest = rest.dropFirst()
    }
    guard let verb = rest.first else { return Self.usageError("Too few arguments.", warnings: warnings) }
    let invoke = verb != "list" && verb != "describe"
    if !invoke { rest = rest.dropFirst() }
    var symbol: String?
    if invoke {
      symbol = verb
      rest = rest.dropFirst()
    } else {
      if options.value("d") != nil { warnings += "Warning: The -d argument is not used with 'list' or 'describe' verb.\n" }
      symbol = rest.first
      rest = rest.dropFirst()
    }
    guard rest.isEmpty else { return Self.usageError("Too many arguments.", warnings: warnings) }
    if invoke && target == nil { return Self.usageError("No host:port specified.", warnings: warnings) }
    let protoFiles = options.all("proto")
    if protoFiles.isEmpty && options.all("protoset").isEmpty && target == nil {
      return Self.usageError("No host:port specified, no protoset specified, and no proto sources specified.", warnings: warnings)
    }
    if !options.all("import-path").isEmpty && protoFiles.isEmpty {
      warnings += "Warning: The -import-path argument is not used unless -proto files are used.\n"
    }
    if !options.all("protoset").isEmpty {
      return ToolResult(stderr: warnings + "grpclab: grpcurl: -protoset files are not supported here; use -proto\n", exitCode: 2)
    }
    if options.has("unix") {
      return ToolResult(stderr: warnings + "grpclab: grpcurl: Unix domain sockets are not modelled here; give host:port\n", exitCode: 2)
    }
    if options.value("protoset-out") != nil {
      return ToolResult(stderr: warnings + "grpclab: grpcurl: -protoset-out is not supported here\n", exitCode: 2)
    }

    var protos: [ProtoFile] = []
    for name in protoFiles {
      switch invocation.loadProto(name, importPaths: options.all("import-path")) {
      case .success(let proto): protos.append(proto)
      case .failure(let reason):
        return ToolResult(stderr: warnings + "Failed to process proto source files.: \(reason.text)\n", exitCode: 1)
      }
    }

    if !invoke {
      return ToolResult(stdout: "", stderr: warnings).appending(describe(verb: verb, symbol: symbol, protos: protos, target: target, options: options))
    }
    guard let target, let symbol else { return Self.usageError("No host:port specified.", warnings: warnings) }
    let call: WorkstationCall
    switch workstationCall(target: target, options: options, plaintext: plaintext) {
    case .success(let made): call = made
    case .failure(let stop): return ToolResult(stderr: warnings).appending(stop.result)
    }
    if options.value("servername") != nil && options.value("servername") == options.value("authority") && !plaintext {
      warnings += "Warning: Both -servername and -authority are present; prefer only -authority.\n"
    }
    guard !protos.isEmpty else {
      return ToolResult(stderr: warnings).appending(askForReflection(call, target: target) {
        "Error invoking method \"\(symbol)\": failed to query for service descriptor \"\(Self.serviceName(of: symbol) ?? symbol)\""
      })
    }
    return ToolResult(stderr: warnings).appending(
      self.invoke(symbol, call: call, protos: protos, options: options, verbosity: verbosity, format: format))
  }

  // MARK: Calls

  private mutating func invoke(
    _ symbol: String, call: WorkstationCall, protos: [ProtoFile], options: Options, verbosity: Int, format: String
  ) -> ToolResult {
    var call = call
    guard let (serviceName, methodName) = Self.split(symbol), !serviceName.isEmpty, !methodName.isEmpty else {
      return dialThen(call) {
        Self.invokeError(symbol, "given method name \"\(symbol)\" is not in expected format: 'service/method' or 'service.method'")
      }
    }
    call.path = "/\(serviceName)/\(methodName)"
    guard let (proto, service) = protos.lazy.compactMap({ proto in
      proto.services.first { proto.fullName($0.name) == serviceName }.map { (proto, $0) }
    }).first else {
      return dialThen(call) { Self.invokeError(symbol, "target server does not expose service \"\(serviceName)\"") }
    }
    guard let method = service.methods.first(where: { $0.name == methodName }) else {
      return dialThen(call) { Self.invokeError(symbol, "service \"\(serviceName)\" does not include a method named \"\(methodName)\"") }
    }
    let input = proto.qualify(method.input)
    var data = options.value("d") ?? ""
    if data == "@" { data = invocation.stdin ?? "" }
    let request: Result<[String: String], Reason>
    if format == "text" {
      let messages = data.split(separator: "\u{1E}", omittingEmptySubsequences: false)
      if messages.count > 1 { return dialThen(call) { Self.unaryError(symbol) } }
      request = ProtoText.fields(data, message: proto.message(named: input), type: input)
    } else {
      let messages = GoJSONStream(data)
      if messages.values.count > 1 { return dialThen(call) { Self.unaryError(symbol) } }
      if let error = messages.error {
        return dialThen(call) { Self.invokeError(symbol, "error getting request data: \(error)") }
      }
      request = ProtoFile.requestFields(messages.values.first ?? "", message: proto.message(named: input), type: input)
    }
    switch request {
    case .success(let fields): call.name = fields["name"] ?? ""
    case .failure(let reason): return dialThen(call) { Self.invokeError(symbol, "error getting request data: \(reason.text)") }
    }
    let reply: GRPCReply
    switch invocation.cluster.callFromWorkstation(call) {
    case .completed(let completed): reply = completed
    case .dialFailed(let reason): return Self.dialFailure(call.target, reason)
    case .connected: return ToolResult()
    }
    var stdout = ""
    if verbosity > 0 {
      stdout += "\nResolved method descriptor:\n" + Self.rpcText(method, in: proto, indent: "").joined(separator: "\n") + "\n"
      stdout += "\nRequest metadata to send:\n" + Self.metadata(Self.headers(options.all("H"))) + "\n"
      stdout += "\nResponse headers received:\n" + Self.metadata(reply.headers) + "\n"
    }
    let fields = reply.message.map { ["message": $0] }
    if let fields {
      let body = Self.render(
        fields, message: proto.message(named: proto.qualify(method.output)), format: format, emitDefaults: options.has("emit-defaults"))
      if verbosity > 1 { stdout += "\nEstimated response size: \(Self.wireSize(fields)) bytes\n" }
      stdout += verbosity > 0 ? "\nResponse contents:\n\(body)\n" : "\(body)\n"
    }
    if verbosity > 0 {
      stdout += "\nResponse trailers received:\n" + Self.metadata(reply.trailers) + "\n"
      stdout += "Sent 1 request and received \(fields == nil ? "0 responses" : "1 response")\n"
    }
    guard reply.status == .ok else {
      let code = reply.status.rawValue
      return ToolResult(
        stdout: stdout, stderr: "ERROR:\n  Code: \(GRPCStatusCode.goNames[code])\n  Message: \(reply.statusMessage)\n", exitCode: Int32(64 + code))
    }
    return ToolResult(stdout: stdout)
  }

  /// A unary method given several request messages.
  private static func unaryError(_ symbol: String) -> ToolResult {
    let method = symbol.replacingOccurrences(of: "/", with: ".")
    return invokeError(symbol, "method \"\(method)\" is a unary RPC, but request data contained more than 1 message")
  }

  /// The service part of a method symbol (`pkg.Svc/Method` or `pkg.Svc.Method`), or nil when it has none.
  private static func serviceName(of symbol: String) -> String? {
    split(symbol).flatMap { $0.service.isEmpty ? nil : $0.service }
  }

  /// A method symbol (`pkg.Svc/Method` or `pkg.Svc.Method`) split at its last separator, as grpcurl's
  /// `parseSymbol` does; either part may be empty.
  private static func split(_ symbol: String) -> (service: String, method: String)? {
    guard let separator = symbol.lastIndex(where: { $0 == "/" || $0 == "." }) else { return nil }
    return (String(symbol[..<separator]).withoutLeadingDot, String(symbol[symbol.index(after: separator)...]))
  }

  /// Connects (a failure wins, as grpcurl dials before it resolves the method), then reports `error`.
  private mutating func dialThen(_ call: WorkstationCall, _ error: () -> ToolResult) -> ToolResult {
    var dial = call
    dial.connectOnly = true
    if case .dialFailed(let reason) = invocation.cluster.callFromWorkstation(dial) { return Self.dialFailure(call.target, reason) }
    return error()
  }

  /// Asks the server for its descriptors by reflection, which the lab's greeter does not serve.
  private mutating func askForReflection(_ call: WorkstationCall, target: String, _ failure: () -> String) -> ToolResult {
    var reflection = call
    reflection.path = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"
    if case .dialFailed(let reason) = invocation.cluster.callFromWorkstation(reflection) { return Self.dialFailure(target, reason) }
    return ToolResult(stderr: "\(failure()): server does not support the reflection API\n", exitCode: 1)
  }

  private static func dialFailure(_ target: String, _ reason: String) -> ToolResult {
    ToolResult(stderr: "Failed to dial target host \"\(target)\": \(reason)\n", exitCode: 1)
  }

  /// The call's connection settings: address, TLS files (as grpcurl's `ClientTLSConfig` reads them: the
  /// key pair, then the CA unless `-insecure`), authority and timeouts.
  private mutating func workstationCall(target: String, options: Options, plaintext: Bool) -> Result<WorkstationCall, Stop> {
    guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]) else {
      return .failure(Stop(Self.dialFailure(target, "dial tcp: address \(target): missing port in address")))
    }
    var roots: [Certificate]?
    var identity: TLSIdentity?
    var authority = options.value("authority")
    if !plaintext {
      switch invocation.clientTLS(
        cert: options.value("cert"), key: options.value("key"), cacert: options.has("insecure") ? nil : options.value("cacert"))
      {
      case .success(let files): (identity, roots) = (files.identity, files.roots)
      case .failure(let reason): return .failure(Stop(Self.tlsConfigError(reason.text)))
      }
      if let servername = options.value("servername") {
        if let authority, authority != servername {
          return .failure(Stop(Self.usageError("Cannot specify different values for -servername and -authority.")))
        }
        authority = servername
      }
    }
    var timeout = Self.seconds(options.value("connect-timeout")) ?? .seconds(10)
    if let maxTime = Self.seconds(options.value("max-time")), maxTime < timeout { timeout = maxTime }
    let agent = options.value("user-agent").map { "\($0) \(Self.userAgent)" } ?? Self.userAgent
    return .success(WorkstationCall(
      host: String(target[..<colon]), port: port, plaintext: plaintext, insecure: options.has("insecure"), roots: roots,
      identity: identity, authority: authority, path: "", name: "", connectTimeout: timeout, userAgent: agent))
  }

  /// A duration flag in seconds (`10`, `0.5`); zero or absent means the default.
  ///
  /// The lab waits at most an hour of simulated time: a learner would stop grpcurl long before a larger timeout.
  private static func seconds(_ text: String?) -> SimDuration? {
    guard let text, let value = Double(text), value > 0 else { return nil }
    return SimDuration(nanoseconds: Int64(min(value, 3_600) * 1e9))
  }

  /// A message as grpcurl prints it: protojson with two-space indents, or the text format.
  private static func render(_ fields: [String: String], message: ProtoFile.Message?, format: String, emitDefaults: Bool) -> String {
    let ordered = (message?.fields ?? fields.keys.sorted().map { ProtoFile.Field(label: nil, type: "string", name: $0, number: 0, comment: []) })
      .compactMap { field -> (ProtoFile.Field, String)? in
        let value = fields[field.name] ?? ""
        return value.isEmpty && !emitDefaults ? nil : (field, value)
      }
    if format == "text" {
      return ordered.map { "\($0.0.name): \(quoted($0.1))" }.joined(separator: "\n")
    }
    guard !ordered.isEmpty else { return "{\n  \n}" }
    return "{\n" + ordered.map { "  \"\($0.0.jsonName)\": \(quoted($0.1))" }.joined(separator: ",\n") + "\n}"
  }

  private static func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  /// Bytes of a message of string fields on the wire: tag, length and text per non-empty field.
  private static func wireSize(_ fields: [String: String]) -> Int {
    fields.values.filter { !$0.isEmpty }.reduce(0) { $0 + 2 + $1.utf8.count }
  }

  /// `-H 'name: value'` headers.
  private static func headers(_ values: [String]) -> [HTTPHeader] {
    values.map { value in
      let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
      return HTTPHeader(
        String(parts.first ?? "").trimmingCharacters(in: .whitespaces).lowercased(),
        parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
    }
  }

  /// Metadata as grpcurl prints it: `name: value` sorted by name, or `(empty)`.
  private static func metadata(_ headers: [HTTPHeader]) -> String {
    guard !headers.isEmpty else { return "(empty)" }
    return headers.enumerated().sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }
      .map { "\($0.element.name): \($0.element.value)" }.joined(separator: "\n")
  }

  // MARK: list and describe

  private mutating func describe(verb: String, symbol: String?, protos: [ProtoFile], target: String?, options: Options) -> ToolResult {
    if protos.isEmpty, let target {
      switch workstationCall(target: target, options: options, plaintext: options.has("plaintext")) {
      case .failure(let stop): return stop.result
      case .success(let call):
        return askForReflection(call, target: target) {
          verb == "list"
            ? symbol.map { "Failed to list methods for service \"\($0)\"" } ?? "Failed to list services"
            : "Failed to resolve symbol \"\(symbol ?? "")\""
        }
      }
    }
    let services = protos.flatMap { proto in proto.services.map { (proto, $0) } }
    if verb == "list" {
      guard let symbol = symbol?.withoutLeadingDot else {
        let names = services.map { $0.0.fullName($0.1.name) }.sorted()
        return ToolResult(stdout: names.isEmpty ? "(No services)\n" : names.joined(separator: "\n") + "\n")
      }
      guard let (proto, service) = services.first(where: { $0.0.fullName($0.1.name) == symbol }) else {
        let known = protos.contains { $0.message(named: symbol) != nil }
          || services.contains { proto, service in service.methods.contains { "\(proto.fullName(service.name)).\($0.name)" == symbol } }
        let reason = known ? "Service not found" : "Symbol not found"
        return ToolResult(stderr: "Failed to list methods for service \"\(symbol)\": \(reason): \(symbol)\n", exitCode: 1)
      }
      let names = service.methods.map { "\(proto.fullName(service.name)).\($0.name)" }.sorted()
      return ToolResult(stdout: names.isEmpty ? "(No methods)\n" : names.joined(separator: "\n") + "\n")
    }
    guard let symbol = symbol?.withoutLeadingDot else {
      let sorted = services.sorted { $0.0.fullName($0.1.name) < $1.0.fullName($1.1.name) }
      return ToolResult(stdout: sorted.map { Self.describe($0.1, in: $0.0) }.joined())
    }
    for (proto, service) in services {
      let name = proto.fullName(service.name)
      if name == symbol { return ToolResult(stdout: Self.describe(service, in: proto)) }
      if let method = service.methods.first(where: { "\(name).\($0.name)" == symbol }) {
        return ToolResult(stdout: "\(symbol) is a method:\n" + Self.rpcText(method, in: proto, indent: "").joined(separator: "\n") + "\n")
      }
    }
    for proto in protos {
      if let message = proto.message(named: symbol) {
        let lines = message.comment + ["message \(message.name) {"]
          + message.fields.flatMap { field in
            field.comment.map { "  " + $0 } + ["  \(field.label.map { $0 + " " } ?? "")\(Self.typeName(field.type, in: proto)) \(field.name) = \(field.number);"]
          } + ["}"]
        let template = options.has("msg-template") ? "\nMessage template:\n" + Self.template(message, in: proto) + "\n" : ""
        return ToolResult(stdout: "\(symbol) is a message:\n" + lines.joined(separator: "\n") + "\n" + template)
      }
    }
    return ToolResult(stderr: "Failed to resolve symbol \"\(symbol)\": Symbol not found: \(symbol)\n", exitCode: 1)
  }

  /// The JSON `-msg-template` shows: every field at its default, with one element in each list and map. A
  /// message inside itself keeps only its scalars, as grpcurl stops there: its messages null, its lists empty.
  static func template(_ message: ProtoFile.Message, in proto: ProtoFile, path: [String] = [], indent: String = "") -> String {
    let inner = indent + "  "
    let bare = path.contains(message.name)
    let path = path + [message.name]
    func empty(_ brackets: String, _ indent: String) -> String { "\(brackets.prefix(1))\n\(indent)  \n\(indent)\(brackets.suffix(1))" }
    func value(_ type: String, indent: String) -> String {
      switch type {
      case "string", "bytes": return "\"\""
      case "bool": return "false"
      case "int64", "uint64", "sint64", "fixed64", "sfixed64": return "\"0\""
      case "int32", "uint32", "sint32", "fixed32", "sfixed32", "float", "double": return "0"
      default:
        if let nested = proto.message(named: proto.qualify(type)) {
          return bare ? "null" : template(nested, in: proto, path: path, indent: indent)
        }
        let name = type.hasPrefix(".") ? String(type.dropFirst()) : type
        let local = name.hasPrefix(proto.package + ".") ? String(name.dropFirst(proto.package.count + 1)) : name
        return proto.enums[local].map { "\"\($0)\"" } ?? "0"
      }
    }
    guard !message.fields.isEmpty else { return empty("{}", indent) }
    let fields = message.fields.map { field in
      let head = "\(inner)\"\(field.jsonName)\": "
      if field.type.hasPrefix("map<") {
        guard !bare else { return head + empty("{}", inner) }
        let types = field.type.dropFirst(4).dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let key = types.first == "bool" ? "false" : types.first == "string" ? "" : "0"
        return head + "{\n\(inner)  \"\(key)\": \(value(types.last ?? "", indent: inner + "  "))\n\(inner)}"
      }
      if field.label == "repeated" {
        return head + (bare ? empty("[]", inner) : "[\n\(inner)  \(value(field.type, indent: inner + "  "))\n\(inner)]")
      }
      return head + value(field.type, indent: inner)
    }
    return "{\n" + fields.joined(separator: ",\n") + "\n\(indent)}"
  }

  private static func describe(_ service: ProtoFile.Service, in proto: ProtoFile) -> String {
    let lines = service.comment + ["service \(service.name) {"] + service.methods.flatMap { rpcText($0, in: proto, indent: "  ") } + ["}"]
    return "\(proto.fullName(service.name)) is a service:\n" + lines.joined(separator: "\n") + "\n"
  }

  private static func rpcText(_ method: ProtoFile.Method, in proto: ProtoFile, indent: String) -> [String] {
    method.comment.map { indent + $0 } + [
      "\(indent)rpc \(method.name) ( \(method.clientStreaming ? "stream " : "").\(proto.qualify(method.input)) ) returns ( \(method.serverStreaming ? "stream " : "").\(proto.qualify(method.output)) );"
    ]
  }

  /// A field type as protoprint writes it with fully qualified names: scalars as they are, messages with a dot.
  private static func typeName(_ type: String, in proto: ProtoFile) -> String {
    proto.message(named: proto.qualify(type)) != nil ? "." + proto.qualify(type) : type
  }

  // MARK: Files and arguments

  /// grpcurl's flags, and the usage error a bad one gives.
  private static func parse(_ arguments: [String]) -> Result<Options, Stop> {
    GoFlags(documented: flagDocs).parse(arguments).mapError { failure in
      Stop(failure.isHelp ? ToolResult(stderr: usage) : ToolResult(stderr: failure.message + "\n" + usage, exitCode: 2))
    }
  }

  private static func usageError(_ message: String, warnings: String = "") -> ToolResult {
    ToolResult(stderr: warnings + message + "\nTry 'grpcurl -help' for more details.\n", exitCode: 2)
  }

  private static func tlsConfigError(_ message: String) -> ToolResult {
    ToolResult(stderr: "Failed to create TLS config: \(message)\n", exitCode: 1)
  }

  private static func invokeError(_ symbol: String, _ message: String) -> ToolResult {
    ToolResult(stderr: "Error invoking method \"\(symbol)\": \(message)\n", exitCode: 1)
  }
}

extension WorkstationCall {
  /// `host:port` as the learner typed it.
  var target: String { "\(host):\(port)" }
}

extension ToolResult {
  /// This result's output followed by `next`'s, with `next`'s exit status.
  func appending(_ next: ToolResult) -> ToolResult {
    ToolResult(stdout: stdout + next.stdout, stderr: stderr + next.stderr, exitCode: next.exitCode)
  }
}

extension String {
  /// A protobuf symbol without the leading dot of a fully qualified name.
  fileprivate var withoutLeadingDot: String { hasPrefix(".") ? String(dropFirst()) : self }
}
