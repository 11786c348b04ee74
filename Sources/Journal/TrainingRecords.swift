/// One round of training, as the run store records it and `curve.json`
/// exports it.
public struct CurvePoint: Sendable, Equatable, Codable {
  public var round: Int
  /// The round's parameters (a checkpoint path, relative to the directory).
  public var checkpoint: String?
  public var parameters: String
  public var trainSolved: Int
  public var trainTasks: Int
  public var evalSolved: Int
  public var evalTasks: Int
  /// Median, over solved eval tasks, of what the policy spent before it
  /// found the chosen solution (programs enumerated, for the synthesizer).
  public var evalMedianPrograms: Double?
  public var trainMedianPrograms: Double?
  public var evalSolvedTasks: [String]
  /// Eval tasks solved for the first time this round.
  public var newlySolved: [String]
  /// Eval tasks the previous round solved and this one does not.
  public var lost: [String]
  public var trainSandboxRuns: Int
  public var evalSandboxRuns: Int
  /// What the learner did after this round ("" after the last).
  public var update: String
  public var seconds: Double
  /// The tasks the learner learned from after this round: real (solved
  /// training tasks) and dreamed; nil after the last round, and in a curve
  /// from before they were recorded.
  public var learnedReal: Int?
  public var learnedDreamed: Int?

  public init(
    round: Int, checkpoint: String?, parameters: String, trainSolved: Int, trainTasks: Int, evalSolved: Int,
    evalTasks: Int, evalMedianPrograms: Double?, trainMedianPrograms: Double?, evalSolvedTasks: [String],
    newlySolved: [String], lost: [String], trainSandboxRuns: Int, evalSandboxRuns: Int, update: String,
    seconds: Double, learnedReal: Int? = nil, learnedDreamed: Int? = nil
  ) {
    self.learnedReal = learnedReal
    self.learnedDreamed = learnedDreamed
    self.round = round
    self.checkpoint = checkpoint
    self.parameters = parameters
    self.trainSolved = trainSolved
    self.trainTasks = trainTasks
    self.evalSolved = evalSolved
    self.evalTasks = evalTasks
    self.evalMedianPrograms = evalMedianPrograms
    self.trainMedianPrograms = trainMedianPrograms
    self.evalSolvedTasks = evalSolvedTasks
    self.newlySolved = newlySolved
    self.lost = lost
    self.trainSandboxRuns = trainSandboxRuns
    self.evalSandboxRuns = evalSandboxRuns
    self.update = update
    self.seconds = seconds
  }

  enum CodingKeys: String, CodingKey {
    case round, checkpoint, parameters, update, seconds, lost
    case trainSolved = "train_solved"
    case trainTasks = "train_tasks"
    case evalSolved = "eval_solved"
    case evalTasks = "eval_tasks"
    case evalMedianPrograms = "eval_median_programs"
    case trainMedianPrograms = "train_median_programs"
    case evalSolvedTasks = "eval_solved_tasks"
    case newlySolved = "newly_solved"
    case trainSandboxRuns = "train_sandbox_runs"
    case evalSandboxRuns = "eval_sandbox_runs"
    case learnedReal = "learned_real"
    case learnedDreamed = "learned_dreamed"
  }
}

/// Where a training run records its rounds and opens its searches: the
/// run store implements it. A round recorded is done: a training run that
/// stops resumes after its last recorded round, and the searches of the
/// unfinished round replay from their journals.
public protocol TrainingJournal: Sendable {
  /// The training run's id.
  var runID: String { get }
  /// The training run was recorded before (it resumes).
  var isResumed: Bool { get }
  /// Every round recorded, in order.
  func rounds() async throws -> [CurvePoint]
  /// Records a round; a round recorded before is replaced (a run extended
  /// past its last round records what the learner then did).
  func record(_ point: CurvePoint) async throws
  /// Opens, or resumes, one of the run's searches.
  func search(_ identity: RunIdentity, taskCount: Int) async throws -> any SearchJournal
  /// Marks a search complete.
  func finish(_ search: RunIdentity) async throws
}
