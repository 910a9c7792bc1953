#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/fiml_restart.R        (run from the repository root; needs R with lavaan)
#
# Writes Tests/SEMTests/References/fiml/restart.json: lavaan's full-information ML fit (missing = "ml") of a
# five-factor CFA on Tests/SEMTests/Data/fiml-restart.csv — survey 6 of Scripts/bench/random-fiml-surveys.py
# (90 respondents, 17 five-point items, 30 % of the answers blank), where crmstat's search from the ML fit to the
# EM covariance matrix stops unconverged and its restart from lavaan's default starts converges
# (Tests/SEMTests/FIMLTests.swift, `FIMLRestart`). Written without jsonlite: the model's log-likelihood and the
# parameter rows (lhs, op, rhs, est, se), 15 significant digits.
suppressPackageStartupMessages(library(lavaan))
path <- "Tests/SEMTests/Data/fiml-restart.csv"
model <- "F1 =~ F1_1 + F1_2 + F1_3
F2 =~ F2_1 + F2_2 + F2_3 + F2_4 + F2_5 + F2_6
F3 =~ F3_1 + F3_2 + F3_3 + F3_4 + F3_5
F4 =~ F4_1 + F4_2 + F4_3
F5 =~ F5_1 + F5_2 + F5_3"
data <- read.csv(path, na.strings = "")
fit <- sem(model, data = data, missing = "ml")
fit2 <- sem(model, data = data, missing = "ml", start = fit)  # a restart from the solution polishes it
if (lavInspect(fit2, "converged") && fit2@optim$fx <= fit@optim$fx) fit <- fit2
pe <- parameterEstimates(fit)
num <- function(x) if (is.finite(x)) sprintf("%.15g", x) else "null"
str <- function(x) sprintf("\"%s\"", x)
rows <- vapply(seq_len(nrow(pe)), function(i) {
    sprintf("    {\"lhs\": %s, \"op\": %s, \"rhs\": %s, \"est\": %s, \"se\": %s}", str(pe$lhs[i]), str(pe$op[i]),
            str(pe$rhs[i]), num(pe$est[i]), num(pe$se[i]))
}, "")
json <- c("{",
    sprintf("  \"provenance\": {\"script\": \"Scripts/reference/fiml_restart.R\", \"r_version\": %s, \"lavaan_version\": %s, \"call\": \"sem(model, data, missing = \\\"ml\\\")\"},",
            str(R.version.string), str(as.character(packageVersion("lavaan")))),
    sprintf("  \"data\": %s,", str(path)),
    sprintf("  \"model\": %s,", str(gsub("\n", "\\\\n", model))),
    sprintf("  \"converged\": %s,", tolower(lavInspect(fit, "converged"))),
    sprintf("  \"logl\": %s,", num(fitMeasures(fit, "logl"))),
    "  \"parameters\": [", paste(rows, collapse = ",\n"), "  ]", "}")
writeLines(json, "Tests/SEMTests/References/fiml/restart.json")
