#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/fiml.R        (run from the repository root; needs R with lavaan and jsonlite)
#
# Writes the full-information ML references (lavaan's missing = "ml") the SEM module is tested against
# (Tests/SEMTests/FIMLTests.swift): one Tests/SEMTests/References/fiml/<name>.json per fit, each with
# parameterEstimates(standardized = TRUE) rows (est, se, std_all; the intercept rows op "~1" included),
# fitMeasures(), the number of respondents used, the number of missing-data patterns and the coverage per item.
#
# Data sets with holes are written to Tests/SEMTests/Data/ (CSV with NA), made from lavaan's data sets by setting
# cells missing completely at random with a fixed seed, so the Swift tests read exactly what lavaan saw:
#   hs-holes.csv  HolzingerSwineford1939 x1..x9, 10 % of the cells missing; row 7 has no answer at all (lavaan
#                 drops it and counts it: nobs = 300)
#   pd-holes.csv  PoliticalDemocracy, 8 % of the cells missing
# SampleData/crm-survey.csv is used as it is (3 incomplete rows).
#
# sem(model, data, missing = "ml"): ML, observed information (Hessian), h1 by EM; and, for hs-cfa, also
# estimator = "MLR" (Huber-White SEs, Yuan-Bentler scaled test; the FIML-corrected robust CFI/TLI/RMSEA).
suppressPackageStartupMessages({
    library(lavaan)
    library(jsonlite)
})

data.dir <- "Tests/SEMTests/Data"
out.dir <- "Tests/SEMTests/References/fiml"
dir.create(out.dir, recursive = TRUE, showWarnings = FALSE)

provenance <- list(
    script = "Scripts/reference/fiml.R",
    r_version = R.version.string,
    lavaan_version = as.character(packageVersion("lavaan")),
    jsonlite_version = as.character(packageVersion("jsonlite")),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z")
)

num <- function(x) if (is.null(x) || length(x) == 0 || !is.finite(x)) NULL else unname(x)

fit.names <- c("npar", "chisq", "df", "pvalue", "baseline.chisq", "baseline.df", "cfi", "tli", "nfi",
               "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "srmr", "logl", "unrestricted.logl", "aic", "bic",
               "bic2", "fmin")
robust.names <- c("chisq.scaled", "df.scaled", "pvalue.scaled", "chisq.scaling.factor", "baseline.chisq.scaled",
                  "cfi.scaled", "tli.scaled", "cfi.robust", "tli.robust", "rmsea.scaled", "rmsea.robust")

# ML with missing = "ml": lavaan 0.6.14 also reports the FIML-corrected robust CFI/TLI/RMSEA (Zhang & Savalei,
# version V6; V3 under MLR).
fiml.robust.names <- c("cfi.robust", "tli.robust", "rmsea.robust", "rmsea.ci.lower.robust", "rmsea.ci.upper.robust")

holes <- function(data, columns, fraction, seed) {
    set.seed(seed)
    x <- as.matrix(data[, columns])
    cells <- sample(length(x), round(fraction * length(x)))
    x[cells] <- NA
    data[, columns] <- x
    data
}

write.fiml <- function(name, data.path, data, model, note, estimator = "ML") {
    fit <- sem(model, data = data, missing = "ml", estimator = estimator)
    # lavaan's default search stops at a relative objective change of 1e-10; a restart from the solution polishes.
    fit2 <- sem(model, data = data, missing = "ml", estimator = estimator, start = fit)
    if (lavInspect(fit2, "converged") && fit2@optim$fx <= fit@optim$fx) fit <- fit2
    pe <- parameterEstimates(fit, standardized = TRUE)
    parameters <- lapply(seq_len(nrow(pe)), function(i) {
        list(lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i],
             est = num(pe$est[i]), se = num(pe$se[i]), std_all = num(pe$std.all[i]))
    })
    names.used <- if (estimator == "MLR") c(fit.names, robust.names) else c(fit.names, fiml.robust.names)
    fm <- fitMeasures(fit, names.used)
    coverage <- lavInspect(fit, "coverage")
    obj <- list(
        provenance = c(provenance, list(call = sprintf("sem(model, data, missing = \"ml\", estimator = \"%s\")",
                                                      estimator))),
        name = name, note = note, data = data.path, model = model, estimator = estimator,
        n = lavInspect(fit, "nobs"), ntotal_rows = nrow(data),
        patterns = nrow(lavInspect(fit, "patterns")),
        converged = lavInspect(fit, "converged"),
        observed = lavNames(fit, "ov"),
        coverage = unname(diag(coverage)),
        parameters = parameters,
        fit = lapply(as.list(fm), num)
    )
    writeLines(toJSON(obj, auto_unbox = TRUE, null = "null", digits = I(15), pretty = TRUE),
               file.path(out.dir, paste0(name, ".json")))
}

# (a) HolzingerSwineford1939, three-factor CFA, 10 % holes, one empty row.
hs <- read.csv(file.path(data.dir, "HolzingerSwineford1939.csv"))
items <- paste0("x", 1:9)
hs.holes <- holes(hs, items, 0.10, seed = 15)
hs.holes[7, items] <- NA
hs.path <- file.path(data.dir, "hs-holes.csv")
write.csv(hs.holes[, c("id", items)], hs.path, row.names = FALSE, na = "NA")
hs.model <- "
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"
write.fiml("hs-cfa", hs.path, hs.holes, hs.model, "three-factor CFA, 10 % of the cells missing, row 7 empty")
write.fiml("hs-cfa-mlr", hs.path, hs.holes, hs.model, "as hs-cfa with estimator = \"MLR\"", estimator = "MLR")
# Observed variables in regressions (phantom latent variables: their intercepts are latent intercepts).
hs.paths <- "
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
x7 ~ visual + textual
x8 ~ x7
"
write.fiml("hs-paths", hs.path, hs.holes, hs.paths, "observed outcomes regressed on factors and on each other")

# (b) SampleData's model on its survey (3 incomplete rows).
crm.model <- paste(readLines("SampleData/crm-model.lav"), collapse = "\n")
crm <- read.csv("SampleData/crm-survey.csv", na.strings = c("", "NA", "."), check.names = FALSE)
write.fiml("crm-full", "SampleData/crm-survey.csv", crm, crm.model, "SampleData's full model, its 3 incomplete rows kept")

# (c) PoliticalDemocracy SEM with holes.
pd <- read.csv(file.path(data.dir, "PoliticalDemocracy.csv"))
pd.items <- c(paste0("y", 1:8), paste0("x", 1:3))
pd.holes <- holes(pd, pd.items, 0.08, seed = 65)
pd.path <- file.path(data.dir, "pd-holes.csv")
write.csv(pd.holes, pd.path, row.names = FALSE, na = "NA")
pd.model <- "
ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ ind60
dem65 ~ ind60 + dem60
y1 ~~ y5
y2 ~~ y4 + y6
y3 ~~ y7
y4 ~~ y8
y6 ~~ y8
"
write.fiml("pd-sem", pd.path, pd.holes, pd.model, "PoliticalDemocracy SEM, 8 % of the cells missing")
write.fiml("pd-sem-mlr", pd.path, pd.holes, pd.model, "as pd-sem with estimator = \"MLR\"", estimator = "MLR")

# (d) SampleData's survey with 5 % of its item cells blanked at random: the CRM model under ML and MLR.
crm.items <- names(crm)[6:ncol(crm)]
crm.holes <- holes(crm, crm.items, 0.05, seed = 77)
crm.path <- file.path(data.dir, "crm-holes.csv")
write.csv(crm.holes[, c("id", crm.items)], crm.path, row.names = FALSE, na = "")
write.fiml("crm-holes", crm.path, crm.holes, crm.model, "SampleData's model, 5 % of the item cells blank")
write.fiml("crm-holes-mlr", crm.path, crm.holes, crm.model, "as crm-holes with estimator = \"MLR\"",
           estimator = "MLR")
