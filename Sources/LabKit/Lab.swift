import ClusterModel
import ClusterTools
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

/// A language the lab speaks.
public enum Language: String, Codable, CaseIterable, Sendable {
  case en, zh
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
    public var solution: [String]
    public var hints: [LocalizedText]
    public var explain: LocalizedText
    public var checks: [Check]
  }

  /// Decodes `lab.yaml`.
  ///
  /// - Throws: `LabError.invalidLab` with the decoding problem and its place.
  public init(yaml: String, source: String) throws(LabError) {
    do {
      self = try YAMLDecoder().decode(Lab.self, from: yaml)
    } catch let error as DecodingError {
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
