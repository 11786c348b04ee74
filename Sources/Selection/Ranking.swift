import Judge

/// AlphaCode's selection: candidates that behave the same on the probe
/// inputs form a cluster, and clusters go by their weight (the sum of
/// their members' weights: sample counts, or the policy's probabilities).
public enum BehaviourClusters {
  /// The candidates' indices, best first: the clusters by weight (ties to
  /// the cluster whose best member comes first), each cluster's members in
  /// the given order (which is the policy's). Every index appears once.
  public static func rank(_ behaviours: [[Behaviour]], weights: [Double]? = nil) -> [Int] {
    var clusters: [[Behaviour]: (weight: Double, members: [Int])] = [:]
    for (index, key) in behaviours.enumerated() {
      clusters[key, default: (0, [])].weight += weights?[index] ?? 1
      clusters[key, default: (0, [])].members.append(index)
    }
    return clusters.values.sorted { ($0.weight, -$0.members[0]) > ($1.weight, -$1.members[0]) }
      .flatMap(\.members)
  }

  /// How many clusters `behaviours` make.
  public static func count(_ behaviours: [[Behaviour]]) -> Int { Set(behaviours).count }
}

/// CodeT's dual agreement: candidates that pass the same set of the
/// model's tests form a group, scored by the group's size times the number
/// of tests in the set; a candidate with the best score is chosen.
public enum DualAgreement {
  /// The candidates' indices, best first: groups by score (ties to the
  /// group whose best member comes first), members in the given order.
  /// `passes[c][t]` says whether candidate `c` passed test `t`.
  /// `weights` count a candidate more than once (a program sampled twice).
  public static func rank(_ passes: [[Bool]], weights: [Double]? = nil) -> [Int] {
    var groups: [[Bool]: [Int]] = [:]
    for (index, key) in passes.enumerated() { groups[key, default: []].append(index) }
    func score(_ key: [Bool], _ members: [Int]) -> Double {
      members.reduce(0) { $0 + (weights?[$1] ?? 1) } * Double(key.filter { $0 }.count)
    }
    return groups.sorted { a, b in
      (score(a.key, a.value), -a.value[0]) > (score(b.key, b.value), -b.value[0])
    }
    .flatMap(\.value)
  }
}
