#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/montecarlo.R [FIRST_SEED COUNT [OUT.json]]   (from the repository root;
#        default 1 240 Tests/SEMTests/References/montecarlo/lavaan.json; other seeds for a hidden check of your own)
#
# lavaan references for the SEM convergence Monte Carlo (issue 12; Tests/SEMTests/MonteCarloTests.swift).
# The studies are generated from seeds by Scripts/reference/montecarlo_data.py (the Swift test generates the same
# studies itself), fitted with lavaan::sem() defaults (ML, normal likelihood, listwise, nlminb), and summarised
# compactly in Tests/SEMTests/References/montecarlo/lavaan.json: per study the seed, shape, N, a checksum of the answers,
# whether lavaan converged, whether the solution is admissible (lavInspect(fit, "post.check")), its iterations,
# chi-square, df and every free parameter's estimate ("lhs op rhs" -> est, 8 significant digits).
#
# As in sem.R, each converged model is refitted from its own solution (start = fit, by lavaan's BFGS with
# reltol = 1e-16; nlminb with a smaller rel.tol reports false convergence) and the lower objective kept, because
# the default rel.tol = 1e-10 on the objective stops up to ~1e-4 short in the estimates of flat likelihoods (weak
# two-indicator factors). `iterations` is the default fit's.
suppressPackageStartupMessages({
    library(lavaan)
    library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
first <- if (length(args) >= 1) as.integer(args[1]) else 1L
count <- if (length(args) >= 2) as.integer(args[2]) else 240L
out.path <- if (length(args) >= 3) args[3] else "Tests/SEMTests/References/montecarlo/lavaan.json"

dir <- tempfile("crmstat-montecarlo-")
status <- system2("python3", c("Scripts/reference/montecarlo_data.py", dir, first, count), stdout = TRUE)
lines <- strsplit(status, " ")

studies <- lapply(lines, function(f) {
    seed <- as.integer(f[1])
    data <- read.csv(file.path(dir, sprintf("study-%d.csv", seed)))
    model <- paste(readLines(file.path(dir, sprintf("study-%d.lav", seed))), collapse = "\n")
    fit <- tryCatch(suppressWarnings(sem(model, data = data)), error = function(e) NULL)
    converged <- !is.null(fit) && lavInspect(fit, "converged")
    out <- list(seed = seed, shape = f[2], n = as.integer(f[3]), items = as.integer(f[4]),
                checksum = as.numeric(f[5]), model = model, converged = converged)
    if (converged) {
        out$iterations <- lavInspect(fit, "iterations")
        again <- tryCatch(suppressWarnings(sem(model, data = data, start = fit, optim.method = "BFGS",
                                               control = list(reltol = 1e-16, maxit = 5000))),
                          error = function(e) NULL)
        if (!is.null(again) && lavInspect(again, "converged") && again@optim$fx <= fit@optim$fx) fit <- again
        out$admissible <- suppressWarnings(lavInspect(fit, "post.check"))
        fm <- fitMeasures(fit, c("chisq", "df"))
        out$chisq <- unname(fm["chisq"])
        out$df <- unname(fm["df"])
        pt <- parTable(fit)
        free <- pt[pt$free > 0, ]
        out$estimates <- as.list(setNames(signif(free$est, 8), paste(free$lhs, free$op, free$rhs)))
    }
    out
})
unlink(dir, recursive = TRUE)

reference <- list(
    provenance = list(script = "Scripts/reference/montecarlo.R", data = "Scripts/reference/montecarlo_data.py",
                      r_version = R.version.string, lavaan_version = as.character(packageVersion("lavaan")),
                      generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
                      call = "sem(model, data) with the defaults; refitted from its solution, lower fmin kept"),
    studies = studies)
writeLines(toJSON(reference, auto_unbox = TRUE, digits = NA, pretty = FALSE),
           out.path)
n.conv <- sum(sapply(studies, function(s) s$converged))
n.adm <- sum(sapply(studies, function(s) isTRUE(s$admissible)))
cat(sprintf("%d studies: %d converged, %d admissible\n", length(studies), n.conv, n.adm))
