extension Duration {
  /// The duration in milliseconds, fractions kept.
  public var milliseconds: Double {
    Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
  }

  /// The duration in seconds, fractions kept.
  public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
