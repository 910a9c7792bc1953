#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/efa-ordinal.R   (run from the repository root; needs R with lavaan, psych,
#                                                    GPArotation, jsonlite)
#
# The reference of `crmstat efa --ordered all` (Tests/FactorAnalysisTests/EFAOrdinalTests.swift): SampleData's 21
# CRM items (complete rows), three factors, minres + oblimin, on the polychoric correlation matrix
#   - exact: lavaan's lavCor(data, ordered = items) (two-step ML to its optimiser's 1e-8), factored by psych's
#     fa(r, 3, fm = "minres", rotate = "oblimin", n.obs = n): crmstat must agree within 1e-4;
#   - psych's own fa(data, 3, cor = "poly"), whose polychoric() stops optimize() at about 1e-4 in each
#     correlation: crmstat agrees within 2e-3.
# Written to Tests/FactorAnalysisTests/References/efa-poly-crm.json.
suppressPackageStartupMessages({
  library(lavaan)
  library(psych)
  library(GPArotation)
  library(jsonlite)
})
items <- c("LOY1", "LOY2", "LOY3", "UND1", "UND2", "UND3", "QUA1", "QUA2", "QUA3", "ORI1", "ORI2", "FLE1", "FLE2",
           "FLE3", "INT1", "INT2", "INT3", "SUC1", "SUC2", "SUC3", "SUC4")
data <- read.csv("SampleData/crm-survey.csv", na.strings = c("", "NA", "."))[, items]
data <- data[complete.cases(data), ]
n <- nrow(data)
r <- unclass(lavCor(data, ordered = items))
exact <- fa(r, nfactors = 3, fm = "minres", rotate = "oblimin", n.obs = n)
psych.poly <- suppressWarnings(suppressMessages(fa(data, nfactors = 3, fm = "minres", rotate = "oblimin",
                                                   cor = "poly")))
rows <- function(m) unname(lapply(seq_len(nrow(m)), function(i) unname(m[i, ])))
out <- list(
  provenance = list(script = "Scripts/reference/efa-ordinal.R", r_version = R.version.string,
                    lavaan_version = as.character(packageVersion("lavaan")),
                    psych_version = as.character(packageVersion("psych")),
                    gparotation_version = as.character(packageVersion("GPArotation"))),
  data = "SampleData/crm-survey.csv", n = n, items = items, factors = 3, extraction = "minres",
  rotation = "oblimin",
  polychoric = rows(r),
  loadings = rows(unclass(exact$loadings)), communalities = unname(exact$communality),
  psych_poly_loadings = rows(unclass(psych.poly$loadings)))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null"),
           "Tests/FactorAnalysisTests/References/efa-poly-crm.json")
cat("wrote Tests/FactorAnalysisTests/References/efa-poly-crm.json\n")
