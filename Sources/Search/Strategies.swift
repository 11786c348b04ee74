import Foundation
import Judge

/// How a task's search spends its budget.
public enum Strategy: String, Sendable, CaseIterable, Codable {
  /// Best-of-N: N candidates, run best first by the policy's score; the
  /// first to pass every public test wins (no later one could rank above
  /// it), else the best by reward.
  case sample
  /// Sequential revision: the best failing candidate is repaired from its
  /// feedback, and the repair repaired in turn, up to a depth; a chain
  /// that stops improving gives way to a fresh candidate.
  case revise
  /// A search tree over revisions (UCT): the root proposes fresh
  /// candidates, any node can be revised; the node to expand maximizes its
  /// reward plus an exploration bonus for nodes expanded less.
  case tree

  /// Candidates per revision in `revise` chains, and how deep a chain goes.
  static let chainDepth = 4
  /// Children per expansion in `tree`, and its exploration constant.
  static let branching = 2
  static let exploration = 0.5

  func drive(_ search: TaskSearch) async throws {
    switch self {
    case .sample: try await sample(search)
    case .revise: try await revise(search)
    case .tree: try await tree(search)
    }
  }

  private func sample(_ search: TaskSearch) async throws {
    let wanted = min(search.remainingProposals, search.remainingRuns)
    let candidates = try await search.propose(wanted)
    // Fewer than asked for: the policy has nothing more to offer.
    if candidates.count < wanted { search.exhausted = true }
    for c in candidates {
      try await search.evaluate(c.candidate, step: c.step, index: c.index)
      if search.finished { return }
    }
  }

  private func revise(_ search: TaskSearch) async throws {
    while !search.finished {
      // A fresh chain: one new candidate.
      guard let start = try await freshNode(search) else {
        search.exhausted = search.remainingProposals > 0
        return
      }
      var current = start
      var depth = 0
      while !search.finished, depth < Self.chainDepth {
        depth += 1
        let repairs = try await search.revise(current, count: 1)
        var improved: TaskSearch.Node?
        for r in repairs {
          if let node = try await search.evaluate(r.candidate, step: r.step, index: r.index),
            node.reward > current.reward
          {
            improved = node
          }
        }
        guard let next = improved else { break }
        current = next
      }
    }
  }

  /// Proposes until a new candidate runs; nil when the policy has no more.
  private func freshNode(_ search: TaskSearch) async throws -> TaskSearch.Node? {
    while !search.finished {
      let fresh = try await search.propose(1)
      if fresh.isEmpty { return nil }
      for c in fresh {
        if let node = try await search.evaluate(c.candidate, step: c.step, index: c.index) { return node }
      }
    }
    return nil
  }

  private func tree(_ search: TaskSearch) async throws {
    var rootExpansions = 0
    var rootExhausted = false
    var deadEnds: Set<String> = []
    while !search.finished {
      let total = Double(rootExpansions + search.nodes.reduce(0) { $0 + $1.expansions } + 1)
      func bonus(_ expansions: Int) -> Double { Self.exploration * (log(total) / Double(expansions + 1)).squareRoot() }
      // The root's value: the best reward among what fresh proposals gave.
      let rootValue = search.nodes.map { value($0.reward) }.max() ?? 1
      var choice: Int? = nil  // nil: the root
      var bestScore = rootExhausted ? -Double.infinity : rootValue + bonus(rootExpansions)
      for (i, node) in search.nodes.enumerated() where !deadEnds.contains(node.candidate.id) {
        let score = value(node.reward) + bonus(node.expansions)
        if score > bestScore {
          bestScore = score
          choice = i
        }
      }
      if bestScore == -Double.infinity { break }
      if let i = choice {
        search.nodes[i].expansions += 1
        let children = try await search.revise(search.nodes[i], count: Self.branching)
        var ran = false
        for c in children where try await search.evaluate(c.candidate, step: c.step, index: c.index) != nil {
          ran = true
          if search.finished { return }
        }
        if !ran { deadEnds.insert(search.nodes[i].candidate.id) }
      } else {
        rootExpansions += 1
        let fresh = try await search.propose(Self.branching)
        var ran = false
        for c in fresh where try await search.evaluate(c.candidate, step: c.step, index: c.index) != nil {
          ran = true
          if search.finished { return }
        }
        if !ran {
          rootExhausted = true
          search.exhausted = fresh.isEmpty && search.remainingProposals > 0
        }
      }
    }
  }

  /// A node's worth to the tree: the fraction of public tests passed, and a
  /// little for failing in a better way.
  private func value(_ reward: Reward) -> Double {
    reward.perTest + 0.1 * Double(reward.grade.rank) / Double(Reward.Grade.passed.rank)
  }
}
