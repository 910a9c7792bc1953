#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/invariance.R   (run from the repository root; needs R with lavaan and jsonlite)
#
# Writes the measurement-invariance references (multi-group CFA, lavaan's group = / group.equal / group.partial)
# the SEM module is tested against (Tests/SEMTests/InvarianceTests.swift): one
# Tests/SEMTests/References/invariance/<name>.json per data set with
#   - the configural, metric (loadings), scalar (+ intercepts) and strict (+ residuals) fits of cfa(..., group =):
#     fitMeasures(), the per-group chi-square contributions and n, the groups in lavaan's order;
#   - every parameterEstimates(standardized = TRUE) row of the configural model (group, est, se, std_all) and of
#     the partial model (scalar with group.partial) where one is given;
#   - lavTestLRT(configural, metric, scalar, strict): each model against the previous;
#   - lavTestScore(): the univariate score test of every equality constraint of the metric, scalar and strict
#     models, each constraint named by the two parameter rows it equates (lhs op rhs, group);
#   - the latent means of the scalar model (groups 2..G; group 1 fixed at 0).
# Data: HolzingerSwineford1939 (lavaan) written to Tests/SEMTests/Data/hs-school.csv with its school column and a
# three-level age split (agegroup: 11-12, 13, 14-16); SampleData/crm-survey.csv (the =~ part of crm-model.lav) by
# gender, used as it is (listwise: its 3 incomplete rows are dropped, as lavaan's default).
suppressPackageStartupMessages({
    library(lavaan)
    library(jsonlite)
})

data.dir <- "Tests/SEMTests/Data"
out.dir <- "Tests/SEMTests/References/invariance"
dir.create(out.dir, recursive = TRUE, showWarnings = FALSE)

provenance <- list(
    script = "Scripts/reference/invariance.R",
    r_version = R.version.string,
    lavaan_version = as.character(packageVersion("lavaan")),
    jsonlite_version = as.character(packageVersion("jsonlite")),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z")
)

num <- function(x) if (is.null(x) || length(x) == 0 || !is.finite(x)) NULL else unname(x)

fit.names <- c("npar", "chisq", "df", "pvalue", "baseline.chisq", "baseline.df", "cfi", "tli", "nfi",
               "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "srmr", "logl", "unrestricted.logl", "aic", "bic",
               "fmin")

rows.of <- function(fit) {
    pe <- parameterEstimates(fit, standardized = TRUE)
    lapply(seq_len(nrow(pe)), function(i) {
        list(lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], group = pe$group[i],
             est = num(pe$est[i]), se = num(pe$se[i]), std_all = num(pe$std.all[i]))
    })
}

model.summary <- function(name, fit) {
    test <- lavInspect(fit, "test")$standard
    c(list(name = name, converged = lavInspect(fit, "converged"),
           chisq_group = unname(test$stat.group)),
      lapply(as.list(fitMeasures(fit, fit.names)), num))
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

write.invariance <- function(name, note, data.path, data, group, model, partial = NULL) {
    steps <- list(configural = "", metric = "loadings", scalar = c("loadings", "intercepts"),
                  strict = c("loadings", "intercepts", "residuals"))
    fits <- lapply(steps, function(eq) cfa(model, data = data, group = group, group.equal = eq))
    lrt <- lavTestLRT(fits$configural, fits$metric, fits$scalar, fits$strict)
    comparisons <- lapply(2:4, function(i) {
        list(model = names(steps)[i], against = names(steps)[i - 1], delta_chisq = lrt[["Chisq diff"]][i],
             delta_df = lrt[["Df diff"]][i], p = lrt[["Pr(>Chisq)"]][i])
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
            "cfa(model, data, group = \"%s\", group.equal = ...); lavTestLRT; lavTestScore", group))),
        name = name, note = note, data = data.path, group = group, model = model,
        groups = lavInspect(fits$configural, "group.label"),
        n = unlist(lavInspect(fits$configural, "nobs")),
        models = unname(lapply(names(fits), function(k) model.summary(k, fits[[k]]))),
        comparisons = comparisons,
        score_tests = list(metric = score.tests(fits$metric), scalar = score.tests(fits$scalar),
                           strict = score.tests(fits$strict)),
        configural_parameters = rows.of(fits$configural),
        latent_means = latent.means
    )
    if (!is.null(partial)) {
        pfit <- cfa(model, data = data, group = group, group.equal = c("loadings", "intercepts"),
                    group.partial = partial)
        obj$partial <- list(group_partial = partial, model = model.summary("partial", pfit),
                            parameters = rows.of(pfit))
    }
    writeLines(toJSON(obj, auto_unbox = TRUE, null = "null", digits = I(15), pretty = TRUE),
               file.path(out.dir, paste0(name, ".json")))
}

# (a) HolzingerSwineford1939 by school (Pasteur first, as in the data) and by a three-level age split.
hs <- HolzingerSwineford1939
hs$agegroup <- ifelse(hs$ageyr <= 12, "11-12", ifelse(hs$ageyr == 13, "13", "14-16"))
hs.path <- file.path(data.dir, "hs-school.csv")
write.csv(hs[, c("id", "school", "agegroup", paste0("x", 1:9))], hs.path, row.names = FALSE)
hs <- read.csv(hs.path)
hs.model <- "
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"
write.invariance("hs-school", "the classic invariance example: HolzingerSwineford1939 by school", hs.path, hs,
                 "school", hs.model, partial = c("x3~1", "x7~1"))
write.invariance("hs-agegroup", "three groups: HolzingerSwineford1939 by age (11-12, 13, 14-16)", hs.path, hs,
                 "agegroup", hs.model)

# (b) SampleData's measurement model on its survey, by gender.
crm.lines <- readLines("SampleData/crm-model.lav")
crm.model <- paste(grep("=~", crm.lines, value = TRUE), collapse = "\n")
crm <- read.csv("SampleData/crm-survey.csv", na.strings = c("", "NA", "."), check.names = FALSE)
write.invariance("crm-gender", "SampleData's measurement model by gender (listwise)", "SampleData/crm-survey.csv",
                 crm, "gender", crm.model)
