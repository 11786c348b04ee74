import Support

extension Suite {
  /// A digest of a suite's task ids and test counts, in order: shards and
  /// merges check they saw the same suite.
  public static func digest(_ tasks: [CodingTask]) -> String {
    FNV1a.hex(tasks.map { "\($0.id)\t\($0.tests.count)\n" }.joined())
  }
}
