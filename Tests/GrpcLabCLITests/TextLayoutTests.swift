import ClusterTools
import LabKit
import Testing

@testable import GrpcLabCLI

/// Lab texts are laid out at the terminal's width, never broken mid-word.
@Suite struct TextLayoutTests {
  @Test func aParagraphIsJoinedAndWrappedAtTheWidth() {
    let text = "Create the two projects, apply\nthe manifests, and call the client.\n\n- one item that is long enough to wrap\n- two\n"
    #expect(TextLayout.reflow(text, width: 24) == """
      Create the two projects,
      apply the manifests, and
      call the client.

      - one item that is long
        enough to wrap
      - two

      """)
  }

  @Test func chineseBreaksBetweenCharactersButNotBeforeClosingPunctuation() {
    #expect(TextLayout.reflow("创建两个项目，应用本目录中的清单，\n然后调用客户端。\n", width: 20) == "创建两个项目，应用本\n目录中的清单，然后调\n用客户端。\n")
    #expect(TextLayout.reflow("一二三四五六七八九，十", width: 20) == "一二三四五六七八九，\n十")
  }

  /// A line starts with no closing mark and ends with no opening one, even beside Latin text or code, and
  /// code beside Chinese keeps the space it is written with when hand-wrapped lines join.
  @Test func chineseKeepsBracketsAndCommasWithWhatTheyBelongTo() throws {
    #expect(TextLayout.reflow("Pod grpc-v1 没有 sidecar（1/1）：它的命名空间", width: 30) == "Pod grpc-v1 没有 sidecar\n（1/1）：它的命名空间")
    #expect(TextLayout.reflow("保存到 `FORTIO_POD`，并用 `fortio curl`\n请求一次", width: 40) == "保存到 `FORTIO_POD`，并用 `fortio curl`\n请求一次")
    #expect(TextLayout.reflow("一二三四五六七八（九十）", width: 16) == "一二三四五六七八（九\n十）")
    #expect(TextLayout.reflow("调用函数（）后，\nsidecar 与“”", width: 40) == "调用函数（）后，sidecar 与“”")
    let closing = Set("，。、；：？！）」』”’》")
    let opening = Set("（「『“‘《")
    for id in LabCatalog.ids {
      for step in try LabCatalog.lab(id).steps {
        for text in [step.text, step.explain] {
          for width in stride(from: 20, through: 60, by: 7) {
            let laidOut = TextLayout.reflow(text.text(.zh), width: width)
            for line in laidOut.split(separator: "\n") {
              #expect(!closing.contains(line.first ?? " ") && !opening.contains(line.last ?? " "), "\(step.id) at \(width): '\(line)'")
            }
            let letters = { (text: String) in text.filter { $0 != " " && $0 != "\n" } }
            #expect(letters(laidOut) == letters(text.text(.zh)), "\(step.id) at \(width): every character, in order")
            #expect(!laidOut.contains("， ") && !laidOut.contains("： ") && !laidOut.contains("。 "), "\(step.id): no space after a mark")
          }
        }
      }
    }
  }

  @Test(arguments: [Language.en, .zh], [40, 60, 200])
  func everyStepTextFitsTheTerminalAndKeepsItsWords(language: Language, columns: Int) throws {
    let lab = try LabCatalog.lab("grpc-lb")
    let width = min(columns, TextLayout.maximumWidth)
    for step in lab.steps {
      let original = step.text.text(language)
      let laidOut = TextLayout.reflow(original, width: columns)
      for line in laidOut.split(separator: "\n") {
        let fits = TextLayout.columns(String(line)) <= width || !line.contains(" ")
        #expect(fits, "\(step.id): '\(line)' is wider than \(width)")
      }
      let words = { (text: String) in text.split { $0 == " " || $0 == "\n" } }
      if language == .en { #expect(words(laidOut) == words(original), "\(step.id): no word is broken") }
    }
  }

  @Test func theShellLaysStepsOutAtTheTerminalsWidth() {
    let test = TestEnvironment(input: ["step", "exit"])
    var environment = test.environment
    environment.columns = { 50 }
    #expect(GrpcLab.main(["start", "--seed", "7"], environment: environment) == 0)
    let output = test.output.withLock { $0 }
    #expect(output.contains("[1/5] gRPC without a mesh\n\n"))
    #expect(output.split(separator: "\n").allSatisfy { TextLayout.columns(String($0)) <= 50 || $0.contains("❯") })
  }
}
