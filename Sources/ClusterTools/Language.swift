/// A language grpclab speaks: of lab texts, of its own messages, and of the few tool views it draws
/// itself (the real tools' output stays English, as on a real cluster).
public enum Language: String, Codable, CaseIterable, Sendable {
  case en, zh
}
