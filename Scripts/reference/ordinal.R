#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/ordinal.R      (run from the repository root; needs R with lavaan, psych, jsonlite)
#
# Writes the ordinal (categorical) references the Ordinal and SEM modules are tested against
# (Tests/SEMTests/OrdinalTests.swift, WLSMVTests.swift): one Tests/SEMTests/References/ordinal/<name>.json per data
# set, each holding
#   - the univariate thresholds and the polychoric correlations of lavaan's two-step estimator (Olsson 1979,
#     thresholds fixed from the margins): lavInspect(fit, "sampstat")
#   - the asymptotic covariance matrix of thresholds and polychorics, N times (lavInspect(fit, "gamma"), Muthen 1984;
#     in full for the small data set, its diagonal otherwise)
#   - the WLSMV fit: sem(model, data, ordered = TRUE) with lavaan 0.6's defaults (estimator "WLSMV": DWLS with the
#     diagonal weight, delta parameterization, robust.sem SEs, scaled.shifted test): parameterEstimates() with
#     std.all, fitMeasures() and the scaled-shifted test's shift
#   - psych's polychoric() rho (global thresholds) and alpha() on it (ordinal alpha, Zumbo et al. 2007) per
#     construct of the model
# Data sets: SampleData (21 CRM items, structural model), psych's bfi (25 items, 6 categories, 5 factors; listwise,
# Tests/StudyTests/Data/bfi.csv), and Tests/SEMTests/Data/ordinal-sparse.csv, written here from SampleData: nine items
# with UND2's middle category emptied (3 recoded to 2) and a second-order factor, and
# Tests/SEMTests/Data/ordinal-binary.csv, the same items cut into two categories (empty cells in 2 x 2 tables).
suppressPackageStartupMessages({
    library(lavaan)
    library(psych)
    library(jsonlite)
})

out.dir <- "Tests/SEMTests/References/ordinal"
dir.create(out.dir, recursive = TRUE, showWarnings = FALSE)

provenance <- list(
    script = "Scripts/reference/ordinal.R",
    r_version = R.version.string,
    lavaan_version = as.character(packageVersion("lavaan")),
    psych_version = as.character(packageVersion("psych")),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z")
)

num <- function(x) if (is.null(x) || length(x) == 0 || !is.finite(x)) NULL else unname(x)
fit.names <- c("npar", "chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled",
               "chisq.scaling.factor", "baseline.chisq", "baseline.df", "baseline.pvalue",
               "baseline.chisq.scaled", "baseline.df.scaled", "baseline.pvalue.scaled",
               "baseline.chisq.scaling.factor", "cfi", "tli", "cfi.scaled", "tli.scaled", "cfi.robust",
               "tli.robust", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.pvalue", "rmsea.scaled",
               "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.pvalue.scaled", "rmsea.robust",
               "rmsea.ci.lower.robust", "rmsea.ci.upper.robust", "srmr", "srmr_bentler", "wrmr", "fmin")

sparse.path <- "Tests/SEMTests/Data/ordinal-sparse.csv"
crm <- read.csv("SampleData/crm-survey.csv", check.names = FALSE)
sparse <- crm[, c("LOY1", "LOY2", "LOY3", "UND1", "UND2", "UND3", "QUA1", "QUA2", "QUA3")]
sparse <- sparse[complete.cases(sparse), ]
sparse$UND2[sparse$UND2 == 3] <- 2
write.csv(sparse, sparse.path, row.names = FALSE, quote = FALSE)
# Binary items cut from the sparse set at different points: 15 of the 36 2 x 2 tables have an empty cell (lavaan's
# zero.add = 0.5 with zero.keep.margins).
binary.path <- "Tests/SEMTests/Data/ordinal-binary.csv"
cuts <- c(LOY1 = 2, LOY2 = 4, LOY3 = 3, UND1 = 2, UND2 = 4, UND3 = 3, QUA1 = 3, QUA2 = 2, QUA3 = 4)
binary <- as.data.frame(lapply(names(cuts), function(v) as.integer(sparse[[v]] >= cuts[[v]])))
names(binary) <- names(cuts)
write.csv(binary, binary.path, row.names = FALSE, quote = FALSE)

sets <- list(
    list(name = "crm", data = "SampleData/crm-survey.csv", model = paste(readLines("SampleData/crm-model.lav"),
         collapse = "\n"), full.gamma = FALSE),
    list(name = "bfi", data = "Tests/StudyTests/Data/bfi.csv", model = paste(readLines(
         "Tests/StudyTests/Data/bfi.lav"), collapse = "\n"), full.gamma = FALSE),
    list(name = "sparse", data = sparse.path, model = paste(
         "Loyalty =~ LOY1 + LOY2 + LOY3", "Understanding =~ UND1 + UND2 + UND3", "Quality =~ QUA1 + QUA2 + QUA3",
         "CRM =~ Loyalty + Understanding + Quality", sep = "\n"), full.gamma = TRUE),
    list(name = "binary", data = binary.path, model = paste(
         "Loyalty =~ LOY1 + LOY2 + LOY3", "Understanding =~ UND1 + UND2 + UND3", "Quality =~ QUA1 + QUA2 + QUA3",
         sep = "\n"), full.gamma = TRUE)
)

for (set in sets) {
    data <- read.csv(set$data, na.strings = c("", "NA", "."), check.names = FALSE)
    t0 <- Sys.time()
    fit <- sem(set$model, data = data, ordered = TRUE)
    seconds <- as.numeric(Sys.time() - t0, units = "secs")
    items <- lavNames(fit, "ov")
    used <- data[complete.cases(data[, items]), items]
    ss <- lavInspect(fit, "sampstat")
    th <- ss$th
    th.names <- names(th)
    thresholds <- lapply(items, function(v) {
        k <- startsWith(th.names, paste0(v, "|"))
        list(item = v, values = unname(th[k]))
    })
    rho <- unclass(ss$cov)[items, items]
    gamma <- unclass(lavInspect(fit, "gamma"))
    pe <- parameterEstimates(fit, standardized = TRUE)
    parameters <- lapply(seq_len(nrow(pe)), function(i) {
        list(lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], label = pe$label[i],
             est = num(pe$est[i]), se = num(pe$se[i]), z = num(pe$z[i]), pvalue = num(pe$pvalue[i]),
             std_all = num(pe$std.all[i]))
    })
    fm <- fitMeasures(fit, fit.names)
    test <- lavInspect(fit, "test")
    # psych: polychoric with its defaults (global thresholds), then alpha() per construct on that matrix
    poly <- polychoric(used)$rho
    pt <- parTable(fit)
    blocks <- unique(pt$lhs[pt$op == "=~"])
    ordinal.alpha <- list()
    for (b in blocks) {
        ind <- pt$rhs[pt$op == "=~" & pt$lhs == b]
        ind <- ind[ind %in% items]
        if (length(ind) >= 2) {
            a <- suppressWarnings(alpha(poly[ind, ind], warnings = FALSE))
            ordinal.alpha[[b]] <- list(items = ind, alpha = a$total$raw_alpha)
        }
    }
    obj <- list(
        provenance = c(provenance, list(call = "sem(model, data, ordered = TRUE)")),
        name = set$name, data = set$data, model = set$model, items = items, n = lavInspect(fit, "nobs"),
        converged = lavInspect(fit, "converged"), lavaan_seconds = seconds,
        options = lavInspect(fit, "options")[c("estimator", "se", "test", "parameterization", "information")],
        thresholds = thresholds,
        polychoric = lapply(seq_along(items), function(i) unname(rho[i, ])),
        gamma_names = colnames(gamma),
        gamma_diagonal = unname(diag(gamma)),
        gamma = if (set$full.gamma) lapply(seq_len(nrow(gamma)), function(i) unname(gamma[i, ])) else NULL,
        parameters = parameters,
        fit = lapply(as.list(fm), function(v) num(as.numeric(v))),
        shift_parameter = num(test$scaled.shifted$shift.parameter),
        psych_polychoric = lapply(seq_along(items), function(i) unname(poly[items[i], items])),
        ordinal_alpha = ordinal.alpha
    )
    path <- file.path(out.dir, paste0(set$name, ".json"))
    writeLines(toJSON(obj, auto_unbox = TRUE, digits = NA, null = "null", na = "null"), path)
    cat(sprintf("%-8s n = %4d  chisq = %.4f  chisq.scaled = %.4f  lavaan fit %.2f s -> %s\n", set$name,
                lavInspect(fit, "nobs"), fm[["chisq"]], fm[["chisq.scaled"]], seconds, path))
}

# The other least-squares estimators on the sparse set: ULSMV (unit weights, robust SEs, scaled-shifted test) and
# DWLS (diagonal weights, standard SEs and test): Tests/SEMTests/References/ordinal/sparse-ulsmv.json, -dwls.json.
sparse.model <- sets[[3]]$model
for (estimator in c("ULSMV", "DWLS")) {
    fit <- sem(sparse.model, data = read.csv(sparse.path), ordered = TRUE, estimator = estimator)
    pe <- parameterEstimates(fit, standardized = TRUE)
    obj <- list(
        provenance = c(provenance, list(call = sprintf("sem(model, data, ordered = TRUE, estimator = \"%s\")",
                                                       estimator))),
        name = paste0("sparse-", tolower(estimator)), estimator = estimator, data = sparse.path,
        model = sparse.model, items = lavNames(fit, "ov"), n = lavInspect(fit, "nobs"),
        options = lavInspect(fit, "options")[c("estimator", "se", "test")],
        parameters = lapply(seq_len(nrow(pe)), function(i) {
            list(lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], label = pe$label[i], est = num(pe$est[i]),
                 se = num(pe$se[i]), std_all = num(pe$std.all[i]))
        }),
        fit = lapply(as.list(fitMeasures(fit, intersect(fit.names, names(fitMeasures(fit))))),
                     function(v) num(as.numeric(v))))
    path <- file.path(out.dir, paste0("sparse-", tolower(estimator), ".json"))
    writeLines(toJSON(obj, auto_unbox = TRUE, digits = NA, null = "null", na = "null"), path)
    cat(sprintf("sparse   %-5s chisq = %.4f -> %s\n", estimator, fitMeasures(fit, "chisq"), path))
}
