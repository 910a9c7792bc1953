#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/invariance_robust.R   (run from the repository root; needs R with lavaan, jsonlite)
#
# Writes the references of the robust estimators with several groups (issue 16) the SEM module is tested against
# (Tests/SEMTests/InvarianceRobustTests.swift): one Tests/SEMTests/References/invariance-robust/<name>-<est>.json
# per data set and estimator (MLM, MLR), with
#   - the configural, metric, scalar and strict fits of cfa(..., group =, group.equal =, estimator =): the unscaled
#     chi-square and its per-group contributions, the scaled chi-square (MLM: satorra.bentler, MLR:
#     yuan.bentler.mplus) with its scaling factor, the baseline's, CFI/TLI/RMSEA unscaled, scaled and robust, SRMR;
#   - lavTestLRT(configural, metric, scalar, strict) with its default for scaled tests (method
#     "satorra.bentler.2001"): each model against the previous, the scaled difference, its df and p, and the
#     difference's scaling factor cd and unscaled difference (lav_test_diff_SatorraBentler2001);
#   - every parameterEstimates() row of the configural model (est, robust se) and the scalar model's latent means;
#   - lavTestScore() of the metric model (0.6.14's score test ignores the estimator: the expected information).
# Data: Tests/SEMTests/Data/hs-school.csv (HolzingerSwineford1939 by school, written by invariance.R) and
# SampleData/crm-survey.csv (the =~ part of crm-model.lav) by gender, listwise (3 incomplete rows dropped).
suppressPackageStartupMessages({
    library(lavaan)
    library(jsonlite)
})

out.dir <- "Tests/SEMTests/References/invariance-robust"
dir.create(out.dir, recursive = TRUE, showWarnings = FALSE)

provenance <- list(
    script = "Scripts/reference/invariance_robust.R",
    r_version = R.version.string,
    lavaan_version = as.character(packageVersion("lavaan")),
    jsonlite_version = as.character(packageVersion("jsonlite")),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z")
)

num <- function(x) if (is.null(x) || length(x) == 0 || !is.finite(x)) NULL else unname(x)

fit.names <- c("npar", "chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled",
               "chisq.scaling.factor", "baseline.chisq", "baseline.df", "baseline.chisq.scaled",
               "baseline.chisq.scaling.factor", "cfi", "tli", "cfi.scaled", "tli.scaled", "cfi.robust",
               "tli.robust", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.scaled", "rmsea.robust",
               "rmsea.ci.lower.robust", "rmsea.ci.upper.robust", "srmr", "logl", "aic", "bic")

# `baseline`: the independence model of lavaan's default fit (its estimates are the sample means and variances
# after one iteration; a BFGS refit would move them by about 1e-7 and the baseline's scaling factor by 1e-6).
model.summary <- function(name, fit, baseline) {
    tests <- lavInspect(fit, "test")
    c(list(name = name, converged = lavInspect(fit, "converged"), test = tests[[2]]$test,
           chisq_group = unname(tests[[1]]$stat.group)),
      lapply(as.list(fitMeasures(fit, fit.names, baseline.model = baseline)), num))
}

rows.of <- function(fit) {
    pe <- parameterEstimates(fit)
    lapply(seq_len(nrow(pe)), function(i) {
        list(lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], group = pe$group[i], est = num(pe$est[i]),
             se = num(pe$se[i]))
    })
}

score.tests <- function(fit) {
    pt <- parTable(fit)
    describe <- function(plabel) {
        i <- which(pt$plabel == plabel)
        list(lhs = pt$lhs[i], op = pt$op[i], rhs = pt$rhs[i], group = pt$group[i])
    }
    uni <- lavTestScore(fit)$uni
    lapply(seq_len(nrow(uni)), function(i) {
        list(a = describe(uni$lhs[i]), b = describe(uni$rhs[i]), x2 = uni$X2[i], p = uni$p.value[i])
    })
}

# lavaan's default optimiser (nlminb, rel.tol 1e-10 on F) stops with estimates about 1e-5 from the optimum, which
# moves the scaling factors by about 1e-6 relative (they depend on the estimates through Delta and Sigma-hat) and
# the scaled differences by up to 1e-5 (c_d amplifies them by df0/(df0 - df1)). The references are lavaan's at the
# optimum: the default fit refitted from its own estimates by BFGS with reltol 1e-15, round after round while
# chi-square still decreases (at most 8 rounds; a refit that does not converge or fits worse is dropped). Each model
# also records the default fit's chisq and scaling factor (`default_fit`).
polish <- function(fit, model, data, group, equal, estimator) {
    for (round in 1:8) {
        refit <- try(cfa(model, data = data, group = group, group.equal = equal, estimator = estimator,
                         start = fit, optim.method = "BFGS", control = list(reltol = 1e-15, maxit = 10000)),
                     silent = TRUE)
        if (inherits(refit, "try-error") || !lavInspect(refit, "converged")) break
        gain <- fitMeasures(fit, "chisq") - fitMeasures(refit, "chisq")
        if (gain < 0) break
        fit <- refit
        if (gain < 1e-11) break
    }
    fit
}

write.robust <- function(name, note, data.path, data, group, model, estimator) {
    steps <- list(configural = "", metric = "loadings", scalar = c("loadings", "intercepts"),
                  strict = c("loadings", "intercepts", "residuals"))
    defaults <- lapply(steps, function(eq) cfa(model, data = data, group = group, group.equal = eq,
                                               estimator = estimator))
    fits <- lapply(names(steps), function(k) polish(defaults[[k]], model, data, group, steps[[k]], estimator))
    names(fits) <- names(steps)
    lrt <- lavTestLRT(fits$configural, fits$metric, fits$scalar, fits$strict)
    method <- sub(".*method = .(satorra[a-z.0-9]*).*", "\\1", gsub("\n", " ", attr(lrt, "heading")))
    comparisons <- lapply(2:4, function(i) {
        diff <- lavaan:::lav_test_diff_SatorraBentler2001(fits[[i - 1]], fits[[i]])
        list(model = names(steps)[i], against = names(steps)[i - 1], method = method,
             delta_chisq = num(lrt[["Chisq diff"]][i]), delta_df = lrt[["Df diff"]][i],
             p = num(lrt[["Pr(>Chisq)"]][i]), scaling_factor = num(diff$scaling.factor),
             delta_chisq_unscaled = fitMeasures(fits[[i]], "chisq") - fitMeasures(fits[[i - 1]], "chisq"))
    })
    scalar.pe <- parameterEstimates(fits$scalar)
    lv <- lavNames(fits$scalar, "lv")
    means <- scalar.pe[scalar.pe$op == "~1" & scalar.pe$lhs %in% lv & scalar.pe$group > 1, ]
    latent.means <- lapply(seq_len(nrow(means)), function(i) {
        list(lhs = means$lhs[i], group = means$group[i], est = means$est[i], se = means$se[i], z = means$z[i],
             p = means$pvalue[i])
    })
    obj <- list(
        provenance = c(provenance, list(call = sprintf(
            "cfa(model, data, group = \"%s\", group.equal = ..., estimator = \"%s\"), refitted by BFGS (reltol 1e-15) from its estimates until chisq stops decreasing; lavTestLRT; lavTestScore",
            group, estimator))),
        name = name, note = note, data = data.path, group = group, model = model, estimator = estimator,
        groups = lavInspect(fits$configural, "group.label"),
        n = unlist(lavInspect(fits$configural, "nobs")),
        models = unname(lapply(names(fits), function(k) {
            c(model.summary(k, fits[[k]], lavaan:::lav_object_independence(defaults[[k]])),
              list(default_fit = lapply(as.list(fitMeasures(defaults[[k]], c("chisq", "chisq.scaling.factor"))),
                                        num)))
        })),
        comparisons = comparisons,
        score_tests_metric = score.tests(fits$metric),
        configural_parameters = rows.of(fits$configural),
        latent_means = latent.means
    )
    writeLines(toJSON(obj, auto_unbox = TRUE, null = "null", digits = I(15), pretty = TRUE),
               file.path(out.dir, paste0(name, "-", tolower(estimator), ".json")))
}

hs.path <- "Tests/SEMTests/Data/hs-school.csv"
hs <- read.csv(hs.path)
hs.model <- "
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"
crm.lines <- readLines("SampleData/crm-model.lav")
crm.model <- paste(grep("=~", crm.lines, value = TRUE), collapse = "\n")
crm <- read.csv("SampleData/crm-survey.csv", na.strings = c("", "NA", "."), check.names = FALSE)

for (estimator in c("MLM", "MLR")) {
    write.robust("hs-school", "HolzingerSwineford1939 by school", hs.path, hs, "school", hs.model, estimator)
    write.robust("crm-gender", "SampleData's measurement model by gender (listwise)", "SampleData/crm-survey.csv",
                 crm, "gender", crm.model, estimator)
}
