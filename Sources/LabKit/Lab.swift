import ClusterModel
import ClusterTools
import Foundation
internal import Yams

/// Text in the lab's languages; English is required and is the fallback.
public struct LocalizedText: Codable, Equatable, Sendable {
  public var en: String
  public var zh: String?

  /// The text in `language`, or English when that translation is missing.
  public func text(_ language: Language) -> String {
    translation(language) ?? en
  }

  /// The text in `language`, if the lab has it.
  public func translation(_ language: Language) -> String? {
    switch language {
    case .en: en
    case .zh: zh
    }
  }
}

/// A lab: files the learner works with and the steps that lead through them.
public struct Lab: Codable, Equatable, Sendable {
  public var id: String
  public var title: LocalizedText
  /// The files copied into a new workspace, relative to the lab folder.
  public var files: [String]
  public var steps: [Step]

  /// One step: what to do, how, hints, why it happens, and how success is checked.
  public struct Step: Codable, Equatable, Sendable {
    public var id: String
    public var title: LocalizedText
    public var text: LocalizedText
    /// The reference commands, as a learner types them.
    public var solution: [String]
    /// The exit status of solution commands that fail on purpose, by their index in `solution`.
    public var expectedExits: [Int: Int32]
    public var hints: [LocalizedText]
    public var explain: LocalizedText
    public var checks: [Check]

    private enum CodingKeys: String, CodingKey {
      case id, title, text, solution, hints, explain, checks
    }

    /// A solution entry: a command line, or `{run: LINE, exit: STATUS}` for one that fails on purpose.
    private struct Command: Codable {
      var run: String
      var exit: Int32?

      init(run: String, exit: Int32?) {
        self.run = run
        self.exit = exit
      }

      init(from decoder: any Decoder) throws {
        if let line = try? decoder.singleValueContainer().decode(String.self) {
          run = line
          return
        }
        let container = try decoder.container(keyedBy: Keys.self)
        run = try container.decode(String.self, forKey: .run)
        exit = try container.decode(Int32.self, forKey: .exit)
      }

      func encode(to encoder: any Encoder) throws {
        guard let exit else {
          var container = encoder.singleValueContainer()
          return try container.encode(run)
        }
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(run, forKey: .run)
        try container.encode(exit, forKey: .exit)
      }

      private enum Keys: String, CodingKey { case run, exit }
    }

    /// Decodes a step of `lab.yaml`.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      id = try container.decode(String.self, forKey: .id)
      title = try container.decode(LocalizedText.self, forKey: .title)
      text = try container.decode(LocalizedText.self, forKey: .text)
      let commands = try container.decode([Command].self, forKey: .solution)
      solution = commands.map(\.run)
      expectedExits = Dictionary(uniqueKeysWithValues: commands.enumerated().compactMap { index, command in command.exit.map { (index, $0) } })
      hints = try container.decode([LocalizedText].self, forKey: .hints)
      explain = try container.decode(LocalizedText.self, forKey: .explain)
      checks = try container.decode([Check].self, forKey: .checks)
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(id, forKey: .id)
      try container.encode(title, forKey: .title)
      try container.encode(text, forKey: .text)
      try container.encode(solution.indices.map { Command(run: solution[$0], exit: expectedExits[$0]) }, forKey: .solution)
      try container.encode(hints, forKey: .hints)
      try container.encode(explain, forKey: .explain)
      try container.encode(checks, forKey: .checks)
    }
  }

  /// Decodes `lab.yaml`.
  ///
  /// - Throws: `LabError.invalidLab` with the decoding problem and its place.
  public init(yaml: String, source: String) throws(LabError) {
    try self.init(source: source) { try YAMLDecoder().decode(Lab.self, from: yaml) }
  }

  /// Decodes a lab encoded as JSON (a `lab.yaml` decoded once, as the embedded labs keep theirs).
  ///
  /// - Throws: `LabError.invalidLab` with the decoding problem and its place.
  public init(json: String, source: String) throws(LabError) {
    try self.init(source: source) { try JSONDecoder().decode(Lab.self, from: Data(json.utf8)) }
  }

  /// The lab `decode` decodes from `source`; it has a step at least.
  private init(source: String, _ decode: () throws -> Lab) throws(LabError) {
    do {
      self = try decode()
      if steps.isEmpty { throw LabError.invalidLab(source, "a lab needs at least one step") }
    } catch let error as LabError {
      throw error
    } catch let error as DecodingError {
      if case .dataCorrupted(let context) = error, let yaml = context.underlyingError as? YamlError {
        let (line, column, message) = LabLint.yamlPlace(yaml)
        throw .invalidLab("\(source):\(line):\(column)", message)
      }
      throw .invalidLab(source, error.summary)
    } catch {
      throw .invalidLab(source, "\(error)")
    }
  }
}

/// A failure of the lab layer.
public enum LabError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A lab file that does not decode: the file and the problem.
  case invalidLab(String, String)
  /// No lab with this id.
  case unknownLab(String)

  public var description: String {
    switch self {
    case .invalidLab(let source, let problem): "\(source): \(problem)"
    case .unknownLab(let id): "unknown lab '\(id)'"
    }
  }
}

extension Lab {
  /// `index`, or the last step when it lies beyond it.
  func stepIndex(clamping index: Int) -> Int { min(index, steps.count - 1) }
}
