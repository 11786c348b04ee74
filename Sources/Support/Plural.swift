/// `1 attempt`, `2 attempts`: a count and its noun, in messages and tables.
public func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
  "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}
