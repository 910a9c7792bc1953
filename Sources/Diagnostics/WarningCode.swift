/// The stable codes of `Warning`, one per kind of problem (not one per place that raises it), in snake case as the
/// JSON writes them. Each is documented, with when it is raised and what to do, in docs/contract.md ("Warning
/// codes"), and listed in docs/crmstat.schema.json; a test keeps the three in step.
public enum WarningCode: String, Codable, Sendable, CaseIterable {
    // The data.
    /// The Likert range was inferred from the answers (no `--scale`).
    case scaleInferred = "scale_inferred"
    /// Rows with a missing answer to a model item were dropped (listwise deletion).
    case rowsDropped = "rows_dropped"
    /// Rows with a blank model item are kept: the SEM uses them by full-information ML, the other sections per
    /// construct.
    case incompleteRows = "incomplete_rows"
    /// Respondents who answered none of the model's items were left out of a full-information ML fit.
    case respondentsWithoutAnswers = "respondents_without_answers"
    /// Rows with no value in the grouping column (`--group`, `--by`) were left out.
    case groupValueMissing = "group_value_missing"
    /// A group of `--by` has a single respondent.
    case smallGroup = "small_group"
    /// An ordered item has more than 10 categories.
    case manyCategories = "many_categories"

    // Reliability and keying.
    /// Cronbach's alpha of a construct is negative.
    case negativeAlpha = "negative_alpha"
    /// Cronbach's alpha of a construct cannot be computed (its items' total does not vary).
    case alphaUndefined = "alpha_undefined"
    /// An item correlates negatively with the rest of its construct, or has a negative standardized loading.
    case reverseItemSuggested = "reverse_item_suggested"

    // Tests that were not run.
    /// A test or statistic could not be computed on these data (the message says which and why).
    case testSkipped = "test_skipped"
    /// `analyze` could not estimate the SEM on these data; the other sections are written.
    case semNotEstimated = "sem_not_estimated"

    // The model.
    /// A model statement is given twice; the repeat is ignored.
    case duplicateStatement = "duplicate_statement"
    /// Observed exogenous covariates given (co)variances in the model are treated as random.
    case randomCovariates = "random_covariates"
    /// Some observed variances are at least 1000 times larger than others.
    case variancesDiffer = "variances_differ"
    /// The covariance matrix the SEM is fitted to (the EM estimate under full-information ML) is nearly singular.
    case nearSingularCovariance = "near_singular_covariance"

    // Estimation.
    /// The SEM or the PLS algorithm did not converge.
    case notConverged = "not_converged"
    /// The model is not identified at the estimates: no (trustworthy) standard errors.
    case notIdentified = "not_identified"
    /// The standard errors could not be computed (the observed information at a boundary, or the robust sandwich
    /// around an information matrix that cannot be inverted).
    case standardErrorsUnavailable = "standard_errors_unavailable"
    /// A defined parameter (`:=`) is not a finite number at the estimates.
    case definedParameterNotFinite = "defined_parameter_not_finite"

    // Admissibility.
    /// A negative residual variance (SEM) or a communality of 1 or more (EFA).
    case heywoodCase = "heywood_case"
    /// A latent variable's estimated variance is negative.
    case negativeLatentVariance = "negative_latent_variance"
    /// The model-implied covariance matrix of the latent variables is not positive definite.
    case latentCovarianceNotPositiveDefinite = "latent_covariance_not_positive_definite"
    /// The residual covariance matrix of the observed variables (Θ) is not positive definite.
    case residualCovarianceNotPositiveDefinite = "residual_covariance_not_positive_definite"

    // The bootstrap.
    /// No bootstrap: the model did not converge on the full sample.
    case bootstrapSkipped = "bootstrap_skipped"
    /// Some bootstrap resamples could not be refitted and were dropped.
    case bootstrapResamplesDropped = "bootstrap_resamples_dropped"
    /// Some PLS bootstrap resamples did not converge; their last iteration is used.
    case bootstrapResamplesNotConverged = "bootstrap_resamples_not_converged"

    // PLS.
    /// A block's items are collinear (singular correlation matrix, or Mode B VIF above 5).
    case collinearItems = "collinear_items"

    // Exploratory factor analysis.
    /// Parallel analysis suggests a number of factors that cannot be extracted; another number is.
    case factorCountAdjusted = "factor_count_adjusted"
    /// The Kaiser–Meyer–Olkin measure is below 0.5.
    case lowKMO = "low_kmo"
    /// Bartlett's test does not reject sphericity.
    case sphericityNotRejected = "sphericity_not_rejected"
    /// `--write-model`: items with no loading at the threshold are left out of the suggested model.
    case itemLeftOut = "item_left_out"
    /// `--write-model`: items load at the threshold on two or more factors.
    case crossLoading = "cross_loading"
    /// `--write-model`: a factor of the suggested model has a single item.
    case singleItemFactor = "single_item_factor"
}
