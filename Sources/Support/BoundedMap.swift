/// `body` over `items`, at most `workers` at once. The outputs come back
/// in the items' order; `each` sees every output as it arrives, in
/// completion order, on the caller's task.
public func boundedMap<Item: Sendable, Output: Sendable>(
  _ items: [Item], workers: Int, _ body: @escaping @Sendable (Item) async throws -> Output,
  each: (Output) -> Void = { _ in }
) async throws -> [Output] {
  var outputs = [Output?](repeating: nil, count: items.count)
  try await withThrowingTaskGroup(of: (Int, Output).self) { group in
    var next = 0
    func start() {
      guard next < items.count else { return }
      let index = next
      let item = items[index]
      next += 1
      group.addTask { (index, try await body(item)) }
    }
    for _ in 0..<max(1, workers) { start() }
    while let (index, output) = try await group.next() {
      outputs[index] = output
      each(output)
      start()
    }
  }
  return outputs.compactMap { $0 }
}
