import Synchronization

/// The form a cluster's archive keeps a value in, until the value is first read.
protocol ArchivedForm: Sendable {
  associatedtype Value
  /// The value the form holds; nil when it does not decode, though it passed the checks made when it was read.
  func decoded() -> Value?
}

/// A value, or its archived form until first read: decoded once, however many copies of a cluster read it
/// at the same time. Copies share a box until one changes the value, which then gets a box of its own.
final class ArchiveBox<Form: ArchivedForm>: @unchecked Sendable {
  /// Whether `value` holds the value: set once, after `form` is decoded under `decoding`.
  private let isDecoded: Atomic<Bool>
  private let decoding = Mutex(())
  /// The archived form; nil once the value changed, or when the box was made from a value. Any holder reads
  /// it, and only the holder of the only reference clears it, so reads overlap only reads; it is read on
  /// every change of the value, so its accesses are not checked for exclusivity at run time either (the
  /// check cost the plain data plane a fifth of its calls).
  @exclusivity(unchecked) private(set) var form: Form?
  /// The value once decoded. Only the holder of the only reference changes it, so its accesses, which
  /// for telemetry come on every call, are not checked for exclusivity at run time.
  @exclusivity(unchecked) var value: Form.Value

  init(_ value: Form.Value) {
    isDecoded = Atomic(true)
    self.value = value
  }

  /// A box that decodes `form` when first read; `empty` is the value when it does not decode.
  init(_ form: Form, empty: Form.Value) {
    isDecoded = Atomic(false)
    self.form = form
    value = empty
  }

  /// Whether the value was decoded (or never archived).
  var holdsValue: Bool { isDecoded.load(ordering: .acquiring) }

  /// Decodes the form into `value` unless that was done.
  func decode() {
    if isDecoded.load(ordering: .acquiring) { return }
    decodeOnce()
  }

  @inline(never) private func decodeOnce() {
    decoding.withLock { _ in
      guard !isDecoded.load(ordering: .relaxed) else { return }
      if let decoded = form?.decoded() { value = decoded }
      isDecoded.store(true, ordering: .releasing)
    }
  }

  /// Readies `box` for a change of its value: decoded, held by this one reference (a copy of its own when
  /// others share it), and without its form, which no longer holds the value.
  @inline(__always) static func prepareForChange(_ box: inout ArchiveBox) {
    box.decode()
    if !isKnownUniquelyReferenced(&box) { box = ArchiveBox(box.value) }
    if box.form != nil { box.form = nil }
  }

  /// Runs `body` while no decode runs, with the form (nil once the value changed) and the value.
  func withForm<Result, Failure: Error>(_ body: (Form?, Form.Value) throws(Failure) -> Result) throws(Failure) -> Result {
    try decoding.withLock { _ throws(Failure) in try body(form, value) }
  }
}
