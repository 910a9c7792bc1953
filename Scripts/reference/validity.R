#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/validity.R     (run from the repository root, after Scripts/reference/sem.R;
#                                                   needs R with lavaan, semTools and jsonlite)
#
# Writes the construct-validity references the SEM module is tested against (Tests/SEMTests/ValidityTests.swift):
# one Tests/SEMTests/References/validity/<name>.json per lavaan reference fit of Scripts/reference/sem.R (its model,
# data, listwise columns and likelihood are read from References/<name>.json and the model is fitted again with
# sem() and refined as sem.R does), holding, per factor with two or more observed indicators
# (semTools' dropSingle = TRUE):
#
#   cr      (sum of std.all loadings)^2 / ((...)^2 + sum of std.all residual variances), from standardizedSolution
#           (Fornell & Larcker 1981; what applied papers and SmartPLS's rho_c report)
#   cr_implied  semTools::compRelSEM(fit, obs.var = FALSE)  (Sigma-hat of the indicators in the denominator:
#           Joreskog's / Raykov's composite reliability, (sum lambda)^2 phi / ((sum lambda)^2 phi + sum theta))
#   omega   semTools::compRelSEM(fit)                   (sample S in the denominator: McDonald's omega as
#           semTools reports it by default)
#   ave     semTools::AVE(fit)                          (sum lambda^2 phi / sum of the indicators' sample variances)
#   cor_lv  lavInspect(fit, "cor.lv")                   (the model-implied latent correlations of the Fornell-
#           Larcker table)
#   htmt    semTools::htmt(model, data, htmt2 = FALSE)  (Henseler, Ringle & Sarstedt 2015: arithmetic means)
#   htmt2   semTools::htmt(model, data)                 (Roemer, Schuberth & Henseler 2021: geometric means;
#           semTools' default)
#
# The HTMT model is the fit's first-order factors (=~ lines whose indicators are all observed), as htmt() needs.
suppressPackageStartupMessages({
    library(lavaan)
    library(semTools)
    library(jsonlite)
})

in.dir <- "Tests/SEMTests/References"
out.dir <- file.path(in.dir, "validity")
dir.create(out.dir, recursive = TRUE, showWarnings = FALSE)

provenance <- list(
    script = "Scripts/reference/validity.R",
    r_version = R.version.string,
    lavaan_version = as.character(packageVersion("lavaan")),
    semtools_version = as.character(packageVersion("semTools")),
    jsonlite_version = as.character(packageVersion("jsonlite")),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z")
)

num <- function(x) if (is.null(x) || length(x) == 0 || !is.finite(x)) NULL else unname(x)
matrix.rows <- function(m) lapply(seq_len(nrow(m)), function(i) sapply(m[i, ], function(v) if (is.finite(v)) v else NA))

write.validity <- function(name) {
    ref <- fromJSON(file.path(in.dir, paste0(name, ".json")), simplifyVector = FALSE)
    data <- read.csv(ref$data, na.strings = c("", "NA", "."), check.names = FALSE)
    listwise <- unlist(ref$listwise)
    if (!is.null(listwise)) data <- data[complete.cases(data[, listwise]), ]
    # As sem.R: the default fit, then a restart from it; the one with the lower objective (lavaan's nlminb can stop
    # ~1e-4 short of the optimum of a flat likelihood, and the ratios below inherit that).
    first <- sem(ref$model, data = data, likelihood = ref$likelihood)
    second <- sem(ref$model, data = data, likelihood = ref$likelihood, start = first)
    same <- lavInspect(second, "converged") && second@optim$npar == first@optim$npar
    fit <- if (same && second@optim$fx <= first@optim$fx) second else first

    omega <- compRelSEM(fit)
    cr <- compRelSEM(fit, obs.var = FALSE)
    ave <- AVE(fit)
    # Composite reliability from the standardized solution (Fornell & Larcker 1981): (sum l*)^2 / ((sum l*)^2 +
    # sum theta*), lavaan's std.all loadings and residual variances of the factor's indicators.
    std <- standardizedSolution(fit)
    cr.std <- function(f) {
        l <- std[std$op == "=~" & std$lhs == f, ]
        l <- l[l$est.std != 0, ]
        theta <- std$est.std[std$op == "~~" & std$lhs == std$rhs & std$lhs %in% l$rhs]
        sum(l$est.std)^2 / (sum(l$est.std)^2 + sum(theta))
    }
    constructs <- lapply(names(omega), function(f) {
        list(construct = f, cr = num(cr.std(f)), cr_implied = num(cr[[f]]), omega = num(omega[[f]]),
             ave = num(ave[[f]]))
    })
    cor.lv <- lavInspect(fit, "cor.lv")

    pt <- lavaanify(ref$model)
    loadings <- pt[pt$op == "=~", ]
    latent <- unique(loadings$lhs)
    first.order <- Filter(function(f) {
        ind <- loadings$rhs[loadings$lhs == f]
        length(ind) >= 2 && !any(ind %in% latent)
    }, latent)
    htmt.rows <- list()
    htmt.names <- character(0)
    if (length(first.order) >= 2) {
        htmt.model <- paste(sapply(first.order, function(f) {
            sprintf("%s =~ %s", f, paste(loadings$rhs[loadings$lhs == f], collapse = " + "))
        }), collapse = "\n")
        h1 <- htmt(htmt.model, data = data, htmt2 = FALSE)
        h2 <- htmt(htmt.model, data = data)
        htmt.names <- rownames(h1)
        for (j in seq_along(htmt.names)) {
            for (i in seq_along(htmt.names)) {
                if (i <= j) next
                htmt.rows[[length(htmt.rows) + 1]] <- list(a = htmt.names[j], b = htmt.names[i],
                                                          value = num(h1[i, j]), htmt2 = num(h2[i, j]))
            }
        }
    }
    obj <- list(
        provenance = c(provenance, list(fit = sprintf("sem(model, data, likelihood = \"%s\")", ref$likelihood))),
        name = name, data = ref$data, model = ref$model, likelihood = ref$likelihood, listwise = ref$listwise,
        constructs = constructs,
        cor_lv = list(names = rownames(cor.lv), matrix = matrix.rows(cor.lv)),
        htmt_constructs = htmt.names,
        htmt = htmt.rows
    )
    path <- file.path(out.dir, paste0(name, ".json"))
    writeLines(toJSON(obj, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = TRUE), path)
    cat(sprintf("%-28s %d constructs, %d HTMT pairs -> %s\n", name, length(constructs), length(htmt.rows), path))
}

for (name in c("crm-full", "crm-components", "crm-full-wishart", "crm-measurement-loyalty", "hs-cfa",
               "hs-second-order", "hs-equal-loadings", "hs-free-marker", "hs-mimic", "pd-sem", "pd-sem-equal")) {
    write.validity(name)
}
