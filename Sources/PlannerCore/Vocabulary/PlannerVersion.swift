/// The planner's version, shown by `planner --version` and recorded in every plan.
public enum PlannerVersion {
    public static let current = "0.1.0"
}
