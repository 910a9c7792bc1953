/// The four LISREL matrices a parameter can live in (all-y notation, as lavaan's "LISREL" representation):
///
///     Σ = Λ (I − Β)⁻¹ Ψ (I − Β)⁻ᵀ Λᵀ + Θ
///
/// with Λ (p×m) the loadings of observed on latent variables, Β (m×m) the regressions among latent variables,
/// Ψ (m×m) the (residual) covariances of the latent variables and Θ (p×p) the residual covariances of the observed
/// variables. A mean structure adds ν (p) and α (m); they are not estimated yet.
enum LISRELMatrix: Sendable, Equatable {
    case lambda, beta, psi, theta
}

/// Where a parameter-table row lives: matrix, row, column (for Ψ and Θ the row/column order of the table row;
/// the mirror element is written too).
struct MatrixSlot: Sendable, Equatable {
    var matrix: LISRELMatrix
    var row: Int
    var column: Int
}

/// The matrix layout of one group, derived from the parameter table.
///
/// Observed variables that take part in a regression (`~`), on either side, become "phantom" latent variables, as
/// in lavaan: a latent η with Λ = 1 and Θ = 0 for its observed variable, so that regressions among observed and
/// latent variables all live in Β and their residual (co)variances in Ψ. An observed variable that shares a
/// residual covariance (`~~`) with a latent or phantom variable becomes a phantom too.
struct LISRELLayout: Sendable {
    /// Observed variables, in lavaan's order; the rows of Λ, Σ and S.
    let observed: [String]
    /// η: the latent variables (lavaan's order) followed by the phantom variables.
    let eta: [String]
    /// Number of real latent variables (the first entries of `eta`).
    let latentCount: Int
    /// For each observed variable, the index of its phantom in η, if it has one.
    let phantom: [Int?]
    /// The slot of each parameter-table row (indexed like `table.rows`) of this group.
    let slots: [MatrixSlot?]

    var p: Int { observed.count }
    var m: Int { eta.count }

    init(table: ParameterTable, group: Int = 1) {
        let vars = table.variables
        let observed = vars.observed
        let latentSet = Set(vars.latent)
        var phantomNames: [String] = observed.filter { vars.regressionVariables.contains($0) }
        var phantomSet = Set(phantomNames)
        var changed = true
        while changed {
            changed = false
            for row in table.rows where row.group == group && row.op == .covariance && row.lhs != row.rhs {
                let lhsInEta = latentSet.contains(row.lhs) || phantomSet.contains(row.lhs)
                let rhsInEta = latentSet.contains(row.rhs) || phantomSet.contains(row.rhs)
                if lhsInEta != rhsInEta {
                    let name = lhsInEta ? row.rhs : row.lhs
                    phantomSet.insert(name)
                    changed = true
                }
            }
        }
        phantomNames = observed.filter { phantomSet.contains($0) }
        let eta = vars.latent + phantomNames
        var etaIndex: [String: Int] = [:]
        for (i, name) in eta.enumerated() { etaIndex[name] = i }
        var observedIndex: [String: Int] = [:]
        for (i, name) in observed.enumerated() { observedIndex[name] = i }

        var slots: [MatrixSlot?] = []
        for row in table.rows {
            guard row.group == group else {
                slots.append(nil)
                continue
            }
            switch row.op {
            case .measuredBy:
                let factor = etaIndex[row.lhs]!
                if let indicator = etaIndex[row.rhs] {
                    slots.append(MatrixSlot(matrix: .beta, row: indicator, column: factor))
                } else {
                    slots.append(MatrixSlot(matrix: .lambda, row: observedIndex[row.rhs]!, column: factor))
                }
            case .regression:
                slots.append(MatrixSlot(matrix: .beta, row: etaIndex[row.lhs]!, column: etaIndex[row.rhs]!))
            case .covariance:
                if let a = etaIndex[row.lhs], let b = etaIndex[row.rhs] {
                    slots.append(MatrixSlot(matrix: .psi, row: a, column: b))
                } else {
                    slots.append(
                        MatrixSlot(matrix: .theta, row: observedIndex[row.lhs]!, column: observedIndex[row.rhs]!))
                }
            case .intercept, .defined, .threshold, .scaling:
                slots.append(nil)
            }
        }
        self.observed = observed
        self.eta = eta
        self.latentCount = vars.latent.count
        self.phantom = observed.map { etaIndex[$0].flatMap { $0 >= vars.latent.count ? $0 : nil } }
        self.slots = slots
    }

    /// The derivative of Σ with respect to one matrix element, as a symmetric rank-two term
    /// ∂Σ = f (a bᵀ + b aᵀ), with a and b indices into the vector set Z = [e₁…e_p, u₁…u_m, v₁…v_m] where
    /// eᵢ are unit vectors, u_k = ΛA e_k and v_k = ΛM e_k (A = (I − Β)⁻¹, M = AΨAᵀ). For
    /// Λ[i,j]: eᵢ v_jᵀ; Β[i,j]: uᵢ v_jᵀ; Ψ[i,j]: uᵢ u_jᵀ; Θ[i,j]: eᵢ e_jᵀ (f = ½ on the diagonal of Ψ and Θ).
    /// The expected information and the gradient are sums over these terms (see `MLWorkspace`).
    func atom(_ slot: MatrixSlot) -> DerivativeAtom {
        let e = 0
        let u = p
        let v = p + m
        let (a, b, factor): (Int, Int, Double)
        switch slot.matrix {
        case .lambda: (a, b, factor) = (e + slot.row, v + slot.column, 1)
        case .beta: (a, b, factor) = (u + slot.row, v + slot.column, 1)
        case .psi: (a, b, factor) = (u + slot.row, u + slot.column, slot.row == slot.column ? 0.5 : 1)
        case .theta: (a, b, factor) = (e + slot.row, e + slot.column, slot.row == slot.column ? 0.5 : 1)
        }
        return DerivativeAtom(a: a, b: b, factor: factor, matrix: slot.matrix, row: slot.row, column: slot.column)
    }

    /// ∂Σ of a covariance between the residual of latent/phantom η_k and the residual of observed variable i
    /// (a parameter outside the four matrices, used only for modification indices): u_k eᵢᵀ + eᵢ u_kᵀ.
    func crossCovarianceAtom(eta k: Int, observed i: Int) -> DerivativeAtom {
        DerivativeAtom(a: p + k, b: i, factor: 1, matrix: nil, row: k, column: i)
    }
}

/// One symmetric rank-two term f (a bᵀ + b aᵀ) of ∂Σ/∂θ, with a and b indices into the vector set Z, and the
/// matrix element it differentiates (for second derivatives; nil for a direction outside the four matrices).
struct DerivativeAtom: Sendable, Equatable {
    var a: Int
    var b: Int
    var factor: Double
    var matrix: LISRELMatrix?
    var row: Int
    var column: Int
    /// The matrix as a number for the inner loops: 0 Λ, 1 Β, 2 Ψ, 3 Θ, 4 none.
    let code: Int

    init(a: Int, b: Int, factor: Double, matrix: LISRELMatrix?, row: Int, column: Int) {
        self.a = a
        self.b = b
        self.factor = factor
        self.matrix = matrix
        self.row = row
        self.column = column
        switch matrix {
        case .lambda: code = 0
        case .beta: code = 1
        case .psi: code = 2
        case .theta: code = 3
        case nil: code = 4
        }
    }
}
