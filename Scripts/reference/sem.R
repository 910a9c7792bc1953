#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/sem.R        (run from the repository root; needs R with lavaan and jsonlite)
#
# Writes the lavaan reference values the SEM module is tested against (Tests/SEMTests/SEMReferenceTests.swift):
# one Tests/SEMTests/References/<name>.json per model, each fitted with lavaan::sem() defaults (ML, expected
# information, listwise deletion) and holding parameterEstimates(standardized = TRUE) rows, fitMeasures(),
# inspect(fit, "r2") and modindices(sort. = TRUE), with 15 significant digits and a provenance object.
#
# lavaan's default optimiser (nlminb, rel.tol = 1e-10 on the objective) can stop ~1e-4 short of the optimum in the
# estimates of a flat likelihood (PoliticalDemocracy with equality constraints). Each model is therefore fitted
# twice: with the defaults, then again with the same defaults started from the first solution (start = fit),
# and the run with the lower objective is the reference; `refinement` in each file records both objectives and
# how far the estimates moved.
# It also exports lavaan's HolzingerSwineford1939 and PoliticalDemocracy data sets to Tests/SEMTests/Data/ so the
# Swift tests read exactly the data lavaan saw.
suppressPackageStartupMessages({
    library(lavaan)
    library(jsonlite)
})

out.dir <- "Tests/SEMTests/References"
data.dir <- "Tests/SEMTests/Data"
dir.create(out.dir, recursive = TRUE, showWarnings = FALSE)
dir.create(data.dir, recursive = TRUE, showWarnings = FALSE)

provenance <- list(
    script = "Scripts/reference/sem.R",
    r_version = R.version.string,
    lavaan_version = as.character(packageVersion("lavaan")),
    jsonlite_version = as.character(packageVersion("jsonlite")),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z")
)

# --- data -------------------------------------------------------------------------------------------------------
hs <- HolzingerSwineford1939[, c("id", "sex", "ageyr", "agemo", "grade", paste0("x", 1:9))]
write.csv(hs, file.path(data.dir, "HolzingerSwineford1939.csv"), row.names = FALSE, na = "NA")
pd <- PoliticalDemocracy
write.csv(pd, file.path(data.dir, "PoliticalDemocracy.csv"), row.names = FALSE, na = "NA")

num <- function(x) if (is.null(x) || length(x) == 0 || !is.finite(x)) NULL else unname(x)

write.reference <- function(name, data.path, data, model, likelihood = "normal", note = "", listwise = NULL) {
    first <- sem(model, data = data, likelihood = likelihood)
    second <- sem(model, data = data, likelihood = likelihood, start = first)
    # A restart frees fixed.x covariances (a different model): it is used only when the model is the same.
    same <- lavInspect(second, "converged") && second@optim$npar == first@optim$npar
    use.second <- same && second@optim$fx <= first@optim$fx
    fit <- if (use.second) second else first
    refinement <- list(fmin_default = first@optim$fx, fmin_restarted = if (same) second@optim$fx else NULL,
                       used = if (use.second) "restarted" else "default",
                       max_abs_estimate_change = if (same) max(abs(coef(second) - coef(first))) else NULL)
    pe <- parameterEstimates(fit, standardized = TRUE)
    parameters <- lapply(seq_len(nrow(pe)), function(i) {
        list(lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], label = pe$label[i],
             est = num(pe$est[i]), se = num(pe$se[i]), z = num(pe$z[i]), pvalue = num(pe$pvalue[i]),
             std_lv = num(pe$std.lv[i]), std_all = num(pe$std.all[i]))
    })
    fm <- fitMeasures(fit)
    fit.list <- lapply(as.list(fm), function(v) num(as.numeric(v)))
    r2 <- lapply(as.list(inspect(fit, "r2")), function(v) num(as.numeric(v)))
    mi <- modindices(fit, sort. = TRUE)
    modindices <- lapply(seq_len(nrow(mi)), function(i) {
        list(lhs = mi$lhs[i], op = mi$op[i], rhs = mi$rhs[i], mi = num(mi$mi[i]), epc = num(mi$epc[i]),
             sepc_lv = num(mi$sepc.lv[i]), sepc_all = num(mi$sepc.all[i]))
    })
    implied <- lavInspect(fit, "implied")$cov
    obj <- list(
        provenance = c(provenance, list(call = sprintf("sem(model, data, likelihood = \"%s\")", likelihood))),
        name = name, note = note, data = data.path, model = model, likelihood = likelihood,
        refinement = refinement,
        listwise = listwise,
        n = lavInspect(fit, "nobs"),
        converged = lavInspect(fit, "converged"),
        iterations = lavInspect(fit, "iterations"),
        observed = rownames(implied),
        parameters = parameters, fit = fit.list, r2 = r2, modindices = modindices
    )
    path <- file.path(out.dir, paste0(name, ".json"))
    writeLines(toJSON(obj, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = TRUE), path)
    cat(sprintf("%-32s chisq = %10.4f  df = %3d  npar = %3d  -> %s\n", name, fm[["chisq"]], as.integer(fm[["df"]]),
                as.integer(fm[["npar"]]), path))
}

# --- lavaan's classic examples ------------------------------------------------------------------------------------
hs.path <- file.path(data.dir, "HolzingerSwineford1939.csv")
pd.path <- file.path(data.dir, "PoliticalDemocracy.csv")

hs.model <- "
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"
write.reference("hs-cfa", hs.path, hs, hs.model, note = "the classic three-factor CFA (lavaan's cfa() example)")
write.reference("hs-cfa-wishart", hs.path, hs, hs.model, likelihood = "wishart",
                note = "the same CFA with S on N - 1 (likelihood = \"wishart\", as LISREL/AMOS)")

write.reference("hs-second-order", hs.path, hs, "
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
ability =~ visual + textual + speed
", note = "a second-order factor over the three first-order factors")

write.reference("hs-equal-loadings", hs.path, hs, "
visual  =~ x1 + a*x2 + a*x3
textual =~ x4 + b*x5 + b*x6
speed   =~ x7 + x8 + x9
x7 ~~ x8
", note = "equality constraints by shared labels and a residual covariance")

write.reference("hs-equality-constraints", hs.path, hs, "
visual  =~ x1 + a*x2 + b*x3
textual =~ x4 + c*x5 + d*x6
speed   =~ x7 + x8 + x9
a == b
d == 1.1
", note = "== constraints: two labels equal, a label fixed to a number")

write.reference("hs-free-marker", hs.path, hs, "
visual  =~ NA*x1 + start(0.8)*x2 + x3
textual =~ x4 + 0.9*x5 + x6
speed   =~ x7 + x8 + x9
visual ~~ 1*visual
", note = "NA* frees a first loading, a fixed variance scales the factor, a fixed non-unit loading, start()")

write.reference("hs-mimic", hs.path, hs, "
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
visual ~ ageyr + sex
textual ~ ageyr
", note = "observed exogenous covariates (fixed.x = TRUE: their (co)variances fixed to the sample values)")

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
write.reference("pd-sem", pd.path, pd, pd.model, note = "lavaan's PoliticalDemocracy SEM: regressions and residual covariances")

write.reference("pd-sem-equal", pd.path, pd, "
ind60 =~ x1 + x2 + x3
dem60 =~ y1 + a*y2 + b*y3 + c*y4
dem65 =~ y5 + a*y6 + b*y7 + c*y8
dem60 ~ ind60
dem65 ~ ind60 + dem60
y1 ~~ y5
y2 ~~ y4 + y6
y3 ~~ y7
y4 ~~ y8
y6 ~~ y8
", note = "the PoliticalDemocracy SEM with loadings equal across occasions (labels a, b, c)")

write.reference("pd-sem-defined", pd.path, pd, "
ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ a*ind60
dem65 ~ c*ind60 + b*dem60
indirect := a * b
total    := c + (a*b)
ratio    := indirect / total
check    := sqrt(a^2) - exp(log(b)) + 2^-1
", note = paste("defined parameters (:=): an indirect and a total effect, a ratio of defined parameters, functions",
                "(not abs(): lavaan differentiates := by complex step, which gives abs() a zero derivative)"))

# --- the sample study -----------------------------------------------------------------------------------------------
crm.data.path <- "SampleData/crm-survey.csv"
crm.model.path <- "SampleData/crm-model.lav"
if (file.exists(crm.data.path) && file.exists(crm.model.path)) {
    crm.model <- paste(readLines(crm.model.path), collapse = "\n")
    crm <- read.csv(crm.data.path, na.strings = c("", "NA", "."), check.names = FALSE)
    pt <- lavaanify(crm.model)
    constructs <- unique(pt$lhs[pt$op == "=~"])
    outcomes <- unique(pt$lhs[pt$op == "~"])
    higher <- unique(pt$lhs[pt$op == "=~" & pt$rhs %in% constructs])
    items <- unique(pt$rhs[pt$op %in% c("=~", "~", "~~") & !pt$rhs %in% constructs])
    items <- unique(c(items, pt$lhs[pt$op %in% c("~", "~~") & !pt$lhs %in% constructs]))
    complete <- crm[complete.cases(crm[, items]), ]
    write.reference("crm-full", crm.data.path, complete, crm.model, listwise = items,
                    note = "SampleData's full model on its complete rows (listwise over the model's items)")
    write.reference("crm-full-wishart", crm.data.path, complete, crm.model, likelihood = "wishart", listwise = items,
                    note = "SampleData's full model with likelihood = \"wishart\"")
    first.order <- setdiff(constructs, higher)
    for (construct in first.order) {
        indicators <- pt$rhs[pt$op == "=~" & pt$lhs == construct]
        # A one-factor model of two indicators has df = -1 (not identified): its test is the bad-input test.
        if (length(indicators) < 3) next
        model <- sprintf("%s =~ %s", construct, paste(indicators, collapse = " + "))
        write.reference(paste0("crm-measurement-", tolower(construct)), crm.data.path, complete, model, listwise = items,
                        note = sprintf("one-factor CFA of SampleData's construct %s", construct))
    }
    components <- setdiff(first.order, outcomes)
    model <- paste(sapply(components, function(construct) {
        sprintf("%s =~ %s", construct, paste(pt$rhs[pt$op == "=~" & pt$lhs == construct], collapse = " + "))
    }), collapse = "\n")
    write.reference("crm-components", crm.data.path, complete, model, listwise = items,
                    note = "SampleData's components (first-order constructs that are no regression outcome) as one CFA")
} else {
    cat("SampleData/crm-survey.csv or crm-model.lav not found: the crm-* references were not written\n")
}
