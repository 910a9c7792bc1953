import Distributions
import Foundation
import LinearAlgebra

/// One equality constraint across groups — a parameter of group `groups.0` equal to the same parameter of group
/// `groups.1` (lavaan's `.p2. == .p38.`) — and its univariate score test (lavaan's `lavTestScore()$uni`): the
/// expected drop in χ² if this one constraint were released.
public struct ConstraintScoreTest: Sendable, Equatable {
    public var lhs: String
    public var op: ParameterOperator
    public var rhs: String
    /// The two groups (1-based) the constraint equates.
    public var groups: (Int, Int)
    public var x2: Double
    public var p: Double?

    /// The parameter in lavaan's syntax, as `--group-partial` takes it: `F=~x2`, `x3~1`, `x1~~x1`.
    public var parameter: String {
        op == .intercept ? "\(lhs)~1" : "\(lhs)\(op.rawValue)\(rhs)"
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.lhs == b.lhs && a.op == b.op && a.rhs == b.rhs && a.groups == b.groups && a.x2 == b.x2 && a.p == b.p
    }
}

/// lavaan's univariate score tests of the equality constraints of a multi-group fit (`lavTestScore`,
/// `lav_test_score.R`; Satorra 1989). With θ the parameters of every group unconstrained (each group's own copy of
/// a shared parameter), u = ∂ℓ/∂θ and I the expected information of ℓ at the constrained estimates, and R the
/// Jacobian of the constraints (rows e_a − e_b), the statistic for releasing constraint r is
///
///     T_r = uᵀ [Z₋ᵣ⁻¹]₁₁ u,   Z₋ᵣ = [[I, R₋ᵣᵀ], [R₋ᵣ, 0]]
///
/// (R₋ᵣ: R without row r; lavaan's `MASS::ginv` equals the inverse when the constrained model is identified). By
/// the bordered-inverse identity, with B = Z⁻¹ and [B₁₁ Rᵀ = 0] at the constrained optimum, this is
/// T_r = −(B_{·,r}ᵀ [u; 0])² / B_rr: one factorisation of Z for all constraints.
enum ScoreTests {
    static func univariate(table: ParameterTable, workspace: MultiGroupWorkspace, x: [Double]) throws
        -> [ConstraintScoreTest]
    {
        guard workspace.evaluate(x) != nil else { return [] }
        // The unconstrained parameters: (group, free index) in group order, free indices ascending.
        var position: [[Int: Int]] = []
        var gradient: [Double] = []
        var blocks: [(offset: Int, indices: [Int], information: [Double], q: Int)] = []
        for group in workspace.groups {
            var map: [Int: Int] = [:]
            for (a, k) in group.global.enumerated() { map[k] = gradient.count + a }
            let indices = Array(0..<group.q)
            blocks.append((gradient.count, indices, group.workspace.expectedInformation(), group.q))
            gradient += group.workspace.gradient().map { -0.5 * $0 }
            position.append(map)
        }
        // Constraints: each free index shared by several groups, first group against each later one.
        var constraints: [(k: Int, a: Int, b: Int)] = []
        for k in 0..<workspace.q {
            let holders = position.indices.filter { position[$0][k] != nil }
            for b in holders.dropFirst() { constraints.append((k, holders[0], b)) }
        }
        guard !constraints.isEmpty else { return [] }
        let nq = gradient.count
        let d = nq + constraints.count
        var z = Matrix(rows: d, columns: d)
        for block in blocks {
            for (bi, kb) in block.indices.enumerated() {
                for (ai, ka) in block.indices.enumerated() {
                    z.values[(block.offset + ai) + (block.offset + bi) * d] = 0.5 * block.information[ka + kb * block.q]
                }
            }
        }
        for (r, c) in constraints.enumerated() {
            let ia = position[c.a][c.k]!
            let ib = position[c.b][c.k]!
            for (i, v) in [(ia, 1.0), (ib, -1.0)] {
                z.values[(nq + r) + i * d] = v
                z.values[i + (nq + r) * d] = v
            }
        }
        // Right-hand sides: [u; 0] and the unit vectors of the constraint rows.
        var rhs = Matrix(rows: d, columns: constraints.count + 1)
        for i in 0..<nq { rhs.values[i] = gradient[i] }
        for r in constraints.indices { rhs.values[(nq + r) + (r + 1) * d] = 1 }
        let solution = try z.solve(rhs)
        var out: [ConstraintScoreTest] = []
        for (r, c) in constraints.enumerated() {
            let w = solution.values[nq + r]
            let brr = solution.values[(nq + r) + (r + 1) * d]
            let x2 = brr < 0 ? -w * w / brr : Double.nan
            guard let row = workspace.groups[c.a].table.rows.first(where: { $0.free - 1 == c.k }) else { continue }
            out.append(
                ConstraintScoreTest(
                    lhs: row.lhs, op: row.op, rhs: row.rhs, groups: (c.a + 1, c.b + 1), x2: x2,
                    p: x2.isFinite ? ChiSquared.survival(x2, df: 1) : nil))
        }
        return out
    }
}
