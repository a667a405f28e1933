import ClusterModel
import Testing

@testable import ClusterTools

/// `-o jsonpath=…`, for the forms learners type.
@Suite struct JSONPathTests {
  static func get(_ template: String, _ extra: String = "") -> ToolResult {
    var (session, _) = PodTerminationTests.running()
    _ = session.run("oc -n demo label deploy web tier=front", files: MemoryFiles(files: [:]), workingDirectory: "/lab")
    return session.run("oc -n demo get \(extra)-o '\(template)'", files: MemoryFiles(files: [:]), workingDirectory: "/lab").0
  }

  @Test(arguments: [
    ("jsonpath={.spec.domain}", "ingresses.config/cluster ", "apps.cluster.example.com"),
    ("jsonpath={.items[*].metadata.name}", "deploy ", "web"),
    ("jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.spec.replicas}{\"\\n\"}{end}", "deploy ", "web\t1\n"),
    ("jsonpath={.metadata.labels}", "deploy web ", "{\"tier\":\"front\"}"),
    ("jsonpath={.items[?(@.status.phase==\"Running\")].status.containerStatuses[0].ready}", "pods ", "true"),
    ("jsonpath=name: {.metadata.name}, missing: {.spec.nope}.", "deploy web ", "name: web, missing: ."),
    ("jsonpath={.items[-1].kind}", "deploy ", "Deployment"),
    ("jsonpath={.spec.template.spec.containers[0:1].name}", "deploy web ", "web"),
    ("jsonpath={.spec.template.spec.containers[-1:].name} {.spec.template.spec.containers[::2].name}", "deploy web ", "web web"),
    ("jsonpath={.spec.template.spec.containers[1:1].name}", "deploy web ", ""),
    ("jsonpath={.metadata.labels[\"tier\"]}", "deploy web ", "front"),
    ("jsonpath={.items[*].spec.template.spec.containers[1:].name}{.kind}", "deploy ", "List"),
    ("jsonpath={..image}", "deploy web ", "registry.redhat.io/openshift4/ose-oauth-proxy:v4.12"),
    ("jsonpath={.items[0]..containers[*].name}", "deploy ", "web"),
    ("jsonpath={.metadata.labels.*}", "deploy web ", "front"),
    ("jsonpath={.items[?(@.spec.replicas>0)].metadata.name}{.items[?(@.spec.replicas>=2)].metadata.name}", "deploy ", "web"),
    ("jsonpath={.items[?(@.metadata.name!=\"web\")].kind}{.items[?(@.metadata.name<=\"web\")].kind}", "deploy ", "Deployment"),
    ("jsonpath={.items[?(@.metadata.labels.tier==\"nan\")].kind}{.items[?(@.metadata.labels.tier!=\"front\")].kind}", "deploy ", ""),
  ])
  func templatesPrintAsKubectlDoes(template: String, target: String, expected: String) {
    #expect(Self.get(template, target) == ToolResult(stdout: expected))
  }

  /// An index past the end of its list fails the template before it prints anything, with client-go's error
  /// and the object it was given in Go syntax; so `$(…)` around it fails instead of yielding nothing.
  @Test func anIndexPastTheEndFailsAsKubectlDoes() {
    #expect(Self.get("jsonpath={.items[0].metadata.name}", "pods -l app=none ") == ToolResult(
      stderr: """
        error: error executing jsonpath "{.items[0].metadata.name}": Error executing template: array index out of bounds: \
        index 0, length 0. Printing more information for debugging the template:
        \ttemplate was:
        \t\t{.items[0].metadata.name}
        \tobject given to jsonpath engine was:
        \t\tmap[string]interface {}{"apiVersion":"v1", "items":[]interface {}{}, "kind":"List", "metadata":map[string]interface {}{"resourceVersion":""}}



        """, exitCode: 1))
    let partial = Self.get("jsonpath={.kind} {.spec.template.spec.containers[-2].name}", "deploy web ")
    #expect(partial.stdout == "", "client-go evaluates the whole template before it prints")
    #expect(partial.stderr.hasPrefix(
      "error: error executing jsonpath \"{.kind} {.spec.template.spec.containers[-2].name}\": Error executing template: array index out of bounds: index -1, length 1."))
    #expect(partial.stderr.contains(#"map[string]interface {}{"apiVersion":"apps/v1", "kind":"Deployment", "metadata":map[string]interface {}{"annotations":"#))
    #expect(partial.exitCode == 1)
    let mixed = Self.get("jsonpath={.items[?(@.spec.replicas==\"1\")].kind}", "deploy ")
    #expect(mixed.stderr.hasPrefix("error: error executing jsonpath \"{.items[?(@.spec.replicas==\\\"1\\\")].kind}\": Error executing template: incompatible types for comparison."), "\(mixed.stderr)")
    #expect(mixed.exitCode == 1 && mixed.stdout.isEmpty)
  }

  /// A slice fails as client-go's does: a bound past the end, bounds the wrong way round, a step of 0.
  @Test(arguments: [
    ("{.spec.template.spec.containers[0:5].name}", "array index out of bounds: index 4, length 1"),
    ("{.spec.template.spec.containers[1:0].name}", "array index out of bounds: index 1, length 1"),
    ("{.spec.template.spec.containers[::0].name}", "step must be > 0"),
  ])
  func aSliceFailsAsClientGoDoes(template: String, message: String) {
    let result = Self.get("jsonpath=\(template)", "deploy web ")
    #expect(result.stderr.hasPrefix("error: error executing jsonpath \"\(template)\": Error executing template: \(message). "))
    #expect(result.stdout.isEmpty && result.exitCode == 1)
  }

  @Test func aQuotedKeyMayHoldAColon() throws {
    let document = JSONValue.object(["a": .object(["b:c": .string("x")])])
    #expect(try JSONPath("{.a['b:c']}").render(document) == "x")
  }

  @Test(arguments: [("[ 0:1 ]", "invalid array index  0:1 "), ("[+0:1]", "invalid array index +0:1"), ("[-:1]", "array index - is not a number")])
  func aSliceMustBeWrittenAsClientGoReadsIt(index: String, message: String) {
    #expect(Self.get("jsonpath={.items\(index).kind}", "deploy ") == ToolResult(
      stderr: "error: error parsing jsonpath {.items\(index).kind}, \(message)\n", exitCode: 1))
  }

  @Test func aTemplateThatDoesNotParseIsRefused() {
    #expect(Self.get("jsonpath={.items[0", "deploy ") == ToolResult(
      stderr: "error: error parsing jsonpath {.items[0, unclosed action\n", exitCode: 1))
    #expect(Self.get("jsonpath={range .items[*]}{.metadata.name}", "deploy ") == ToolResult(
      stderr: "error: error parsing jsonpath {range .items[*]}{.metadata.name}, range without end\n", exitCode: 1))
  }
}

/// `-o jsonpath-as-json`, `custom-columns`, `go-template` and their `-file` forms, as kubectl 1.32 prints them.
@Suite struct OutputFormatTests {
  static func get(_ arguments: String, files: [String: String] = [:]) -> ToolResult {
    var (session, _) = PodTerminationTests.running()
    _ = session.run("oc -n demo label deploy web tier=front", files: MemoryFiles(files: [:]), workingDirectory: "/lab")
    return session.run("oc -n demo get \(arguments)", files: MemoryFiles(files: files), workingDirectory: "/lab").0
  }

  @Test(arguments: [
    ("deploy web -o 'jsonpath-as-json={.metadata.name}{.metadata.labels}'",
     "[\n    \"web\"\n]\n[\n    {\n        \"tier\": \"front\"\n    }\n]\n"),
    ("deploy -o 'jsonpath-as-json={range .items[*]}{.spec.replicas}{end}'", "[\n    1\n]\n"),
    ("deploy -o 'custom-columns=NAME:.metadata.name,REPLICAS:spec.replicas,LABELS:{.metadata.labels},NOPE:.spec.nope'",
     "NAME   REPLICAS   LABELS            NOPE\nweb    1          map[tier:front]   <none>\n"),
    ("deploy --no-headers -o custom-columns=N:.metadata.name,K:.kind", "web   Deployment\n"),
    ("deploy -o custom-columns-file=cols.txt", "N     IMAGES\nweb   registry.redhat.io/openshift4/ose-oauth-proxy:v4.12\n"),
    ("deploy -o 'go-template={{range .items}}{{.metadata.name}}={{.spec.replicas}} {{index .metadata.labels \"tier\"}}{{\"\\n\"}}{{end}}'",
     "web=1 front\n"),
    ("deploy web -o 'go-template={{- if .spec.paused }}paused{{ else }}{{ printf \"%s/%d %q\" .kind .spec.replicas .nope }}{{ end -}} {{.nope}}'",
     "Deployment/%!d(float64=1) %!q(<nil>)<no value>"),
    ("deploy web -o templatefile=t.tmpl", "web has 1 container(s)\n"),
    ("deploy -o 'go-template={{$.kind}} {{len .items}}{{/* a comment */}}{{range .items}} {{$.kind}}/{{.kind}}{{end}}'",
     "List 1 List/Deployment"),
    ("deploy web -o 'go-template={{if .spec.paused}}p{{else if .spec.replicas}}r{{else}}none{{end}}'", "r"),
    ("deploy web -o 'go-template={{printf \"[%-6s|%5.1f|%05.1f|%q|%\" .kind .spec.replicas .spec.replicas .metadata.name}}'",
     "[Deployment|  1.0|001.0|\"web\"|%!(NOVERB)"),
    ("deploy -o 'go-template={{index .items 0 \"metadata\" \"name\"}}'", "web"),
    ("pods -n nowhere -o yaml", "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"),
    ("pods -n nowhere -o custom-columns=N:.metadata.name", "N\n"),
    ("pods -n nowhere -o name", ""),
  ])
  func formatsPrintAsKubectlDoes(arguments: String, expected: String) {
    let files = [
      "/lab/cols.txt": "N  IMAGES\r\n.metadata.name {.spec.template.spec.containers[*].image}\r\n",
      "/lab/t.tmpl": "{{.metadata.name}} has {{len .spec.template.spec.containers}} container(s)\n",
    ]
    #expect(Self.get(arguments, files: files) == ToolResult(stdout: expected))
  }

  @Test(arguments: [
    ("deploy -o 'custom-columns=NAME'", "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n"),
    ("deploy -o custom-columns=", "error: custom-columns format specified but no custom columns given\n"),
    ("deploy -o custom-columns-file=nope.txt", "error: error reading template nope.txt, open nope.txt: no such file or directory\n"),
    ("deploy -o jsonpath", "error: template format specified but no template given\n"),
    ("deploy -o 'go-template={{range .items}'", "error: error parsing template {{range .items}, template: output:1: unclosed action\n"),
    ("deploy -o 'go-template={{range .items}}x'", "error: error parsing template {{range .items}}x, template: output:1: unexpected EOF\n"),
    ("deploy -o 'go-template={{end}}'", "error: error parsing template {{end}}, template: output:1: unexpected {{end}}\n"),
    ("deploy -o 'go-template={{upper .kind}}'", "error: error parsing template {{upper .kind}}, template: output:1: function \"upper\" not defined\n"),
    ("deploy -o custom-columns-file=one.txt", "error: invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.\n"),
    ("deploy -o 'go-template={{if}}x{{end}}'", "error: error parsing template {{if}}x{{end}}, template: output:1: missing value for if\n"),
    ("deploy -o 'go-template={{if .kind}}x{{end .kind}}'", "error: error parsing template {{if .kind}}x{{end .kind}}, template: output:1: unexpected \".kind\" in end\n"),
    ("deploy -o 'go-template={{$x}}'", "error: error parsing template {{$x}}, template: output:1: undefined variable \"$x\"\n"),
    ("deploy -o 'go-template={{with .items}}x{{end}}'",
     "error: error parsing template {{with .items}}x{{end}}, template: output:1: \"with\" is not supported by the lab's go-template (fields, range, if, index, len, printf)\n"),
    ("deploy -o 'go-template={{(index .items 0).kind}}'",
     "error: error parsing template {{(index .items 0).kind}}, template: output:1: \"(index\" is not supported by the lab's go-template (fields, range, if, index, len, printf)\n"),
    ("deploy -o table", "error: unable to match a printer suitable for the output format \"table\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n"),
  ])
  func badFormatsAreRefusedInKubectlsWords(arguments: String, error: String) {
    #expect(Self.get(arguments, files: ["/lab/one.txt": "N IMAGES\n"]) == ToolResult(stderr: error, exitCode: 1))
  }

  @Test(arguments: [
    ("{{index .items 3}}", "template: output: error calling index: index out of range: 3"),
    ("{{range .items}}{{index $.items .spec.replicas}}{{end}}", "template: output: error calling index: cannot index slice/array with type float64"),
    ("{{len .nope}}", "template: output: error calling len: len of nil pointer"),
    ("{{.nope.x}}", "template: output:1:2: executing \"output\" at <.nope.x>: nil pointer evaluating interface {}.x"),
    ("{{range .items}}{{len .spec.replicas}}{{end}}", "template: output: error calling len: len of type float64"),
  ])
  func templatesThatStopSayWhyAsGoDoes(template: String, failure: String) {
    let result = Self.get("deploy -o 'go-template=\(template)'")
    #expect(result.exitCode == 1)
    #expect(result.stderr == "error: error executing template \(template.goQuoted): \(failure)\n")
  }

  @Test func aTemplateNestedPastItsDepthIsRefusedNotFollowed() {
    let deep = String(repeating: "{{if .kind}}", count: 1001) + String(repeating: "{{end}}", count: 1001)
    #expect(Self.get("deploy -o 'go-template=\(deep)'").stderr.hasSuffix("template: output:1: max expression depth exceeded\n"))
    let path = String(repeating: "{range .items[*]}", count: 1001) + String(repeating: "{end}", count: 1001)
    #expect(Self.get("deploy -o 'jsonpath=\(path)'").stderr.hasSuffix("range nested more than 1000 deep\n"))
  }

  @Test func aTemplateThatStopsPrintsWhatItHadAndHelpsDebugIt() {
    let result = Self.get("deploy web -o 'go-template=ok {{.metadata.name.first}}'")
    #expect(result.exitCode == 1)
    #expect(result.stdout.hasPrefix("ok Error executing template: template: output:1:5: executing \"output\" at <.metadata.name.first>: can't evaluate field first in type interface {}. Printing more information for debugging the template:\n\ttemplate was:\n\t\tok {{.metadata.name.first}}\n\traw data was:\n\t\t{\"apiVersion\":\"apps/v1\""))
    #expect(result.stderr == "error: error executing template \"ok {{.metadata.name.first}}\": template: output:1:5: executing \"output\" at <.metadata.name.first>: can't evaluate field first in type interface {}\n")
  }

  /// Each JSON type reads as its own case, whatever order the decoder tries them in; an integer stays one.
  @Test(arguments: [
    ("null", JSONValue.null), ("true", .bool(true)), ("false", .bool(false)), ("80", .integer(80)), ("-0", .integer(0)),
    ("0.5", .number(0.5)), ("1e3", .integer(1000)), ("9223372036854775808", .number(9_223_372_036_854_775_808)),
    (#""8080""#, .string("8080")), (#""true""#, .string("true")), ("[]", .array([])), ("{}", .object([:])),
    (#"[1,"a",null,[true]]"#, .array([.integer(1), .string("a"), .null, .array([.bool(true)])])),
    (#"{"a":{"b":[{"c":1.5}]},"d":""}"#, .object(["a": .object(["b": .array([.object(["c": .number(1.5)])])]), "d": .string("")])),
  ])
  func jsonReadsAsItsOwnType(text: String, value: JSONValue) {
    #expect(JSONValue(json: text) == value)
  }

  @Test func goValuesPrintAsGoPrintsThem() {
    let value = JSONValue.object(["a": .array([.number(1e6), .number(0.5), .integer(7), .null]), "b<&>": .string("x\u{1}\"")])
    #expect(value.goJSON() == #"{"a":[1000000,0.5,7,null],"b\u003c\u0026\u003e":"x\u0001\""}"#)
    #expect(value.goDescription == "map[a:[1e+06 0.5 7 <nil>] b<&>:x\u{1}\"]")
    #expect(JSONValue.number(1e21).goJSON() == "1e+21" && JSONValue.number(1e-7).goJSON() == "1e-7")
    #expect(JSONValue.string("\u{8}\u{C}\u{7}").goJSON() == #""\b\f\u0007""#)
  }
}

/// `oc describe` of a custom resource: kubectl's generic describer prints the whole object.
@Suite struct GenericDescribeTests {
  @Test func aCustomResourceIsDescribedWhole() {
    var (session, _) = PodTerminationTests.running()
    let result = session.run("oc describe ingresses.config cluster", files: MemoryFiles(files: [:]), workingDirectory: "/lab").0
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.prefix(7) == [
      "Name:         cluster", "Namespace:    ", "Labels:       <none>", "Annotations:  <none>", "API Version:  config.openshift.io/v1",
      "Kind:         Ingress", "Metadata:",
    ])
    #expect(lines.suffix(4) == ["Spec:", "  Domain:  apps.cluster.example.com", "Events:    <none>", ""])
  }

  @Test(arguments: [
    ("apiVersion", "API Version"), ("creationTimestamp", "Creation Timestamp"), ("uid", "UID"), ("PDFLoader", "PDF Loader"),
    ("http1MaxPendingRequests", "http1MaxPendingRequests"), ("maxRequestsPerConnection", "Max Requests Per Connection"),
    ("kebab-case", "Kebab - Case"),
  ])
  func fieldsAreLabelledAsKubectlLabelsThem(field: String, label: String) {
    #expect(GenericDescription.label(field) == label)
  }
}
