import ClusterModel

extension Kubectl {
  /// How `-o FORMAT` prints objects (`get`, `create secret`).
  enum Printer {
    case table(wide: Bool)
    case name, yaml, json
    case jsonPath(JSONPath, asJSON: Bool)
    case goTemplate(GoTemplate)
    case customColumns(CustomColumns)

  }

  /// The printer `-o FORMAT` names, with its template read (from the workspace for the `-file` forms)
  /// and parsed; kubectl's errors otherwise.
  mutating func printer(_ format: String) throws(KubectlError) -> Printer {
    switch format {
    case "": return .table(wide: false)
    case "wide": return .table(wide: true)
    case "name": return .name
    case "yaml": return .yaml
    case "json": return .json
    default: break
    }
    let equals = format.firstIndex(of: "=")
    let kind = String(format[..<(equals ?? format.endIndex)])
    let value = equals.map { String(format[format.index(after: $0)...]) } ?? ""
    func template(readingFileWith prefix: String) throws(KubectlError) -> String {
      guard kind.hasSuffix("file") else { return value }
      guard case .file(let text) = invocation.read(value).contents else {
        throw KubectlError("error: error reading \(prefix) \(value), open \(value): no such file or directory")
      }
      return text
    }
    switch kind {
    case "jsonpath", "jsonpath-as-json", "jsonpath-file":
      guard !value.isEmpty else { throw KubectlError("error: template format specified but no template given") }
      let text = try template(readingFileWith: "--template")
      do {
        return .jsonPath(try JSONPath(text), asJSON: kind == "jsonpath-as-json")
      } catch {
        throw KubectlError("error: error parsing jsonpath \(text), \(error.message)")
      }
    case "go-template", "template", "go-template-file", "templatefile":
      guard !value.isEmpty else { throw KubectlError("error: template format specified but no template given") }
      let text = try template(readingFileWith: "--template")
      do {
        return .goTemplate(try GoTemplate(text))
      } catch {
        throw KubectlError("error: error parsing template \(text), \(error.message)")
      }
    case "custom-columns", "custom-columns-file":
      guard !value.isEmpty else { throw KubectlError("error: custom-columns format specified but no custom columns given") }
      let text = try template(readingFileWith: "template")
      do {
        return .customColumns(kind == "custom-columns" ? try CustomColumns(spec: text) : try CustomColumns(file: text))
      } catch {
        throw KubectlError("error: \(error.message)")
      }
    default:
      throw KubectlError(
        "error: unable to match a printer suitable for the output format \"\(format)\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml")
    }
  }
}

extension Kubectl.Printer {
  /// What a template printer (`jsonpath`, `go-template`) prints for `document`: a go-template that stops
  /// leaves what it printed and kubectl's help to mend it, and the error; a jsonpath that fails prints only
  /// the error. Nothing for other printers.
  func templateOutput(for document: JSONValue) -> ToolResult {
    switch self {
    case .jsonPath(let path, let asJSON):
      do {
        return ToolResult(stdout: try path.render(document, asJSON: asJSON))
      } catch {
        return ToolResult(stderr: path.error(error, document), exitCode: 1)
      }
    case .goTemplate(let template):
      let (output, failure) = template.render(document)
      guard let failure else { return ToolResult(stdout: output) }
      return ToolResult(
        stdout: output + template.debugging(failure, document),
        stderr: "error: error executing template \(template.source.goQuoted): \(failure.message)\n", exitCode: 1)
    default:
      return ToolResult()
    }
  }
}
