#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/mcar.R      (run from the repository root; needs R with lavaan and jsonlite)
#
# Little's (1988) MCAR test, written here independently of crmstat: the EM (ML) means and covariances of the
# items come from lavaan's own EM (lav_mvnorm_missing_h1_estimate_moments, run to a change of 1e-12), and
#   d2 = sum over missing-data patterns j of n_j (ybar_j - mu_o)' Sigma_oo^-1 (ybar_j - mu_o),  df = sum p_j - p
# (Little 1988, eq. 5; what naniar::mcar_test computes). Rows with no answer are left out, as in the FIML fit.
# Writes Tests/SEMTests/References/fiml/little-mcar.json, one entry per data set of Tests/SEMTests/Data.
suppressPackageStartupMessages({
    library(lavaan)
    library(jsonlite)
})

little <- function(path, items) {
    data <- read.csv(path, na.strings = c("", "NA"))
    y <- as.matrix(data[, items])
    y <- y[rowSums(!is.na(y)) > 0, , drop = FALSE]
    em <- lavaan:::lav_mvnorm_missing_h1_estimate_moments(Y = y, max.iter = 100000L, tol = 1e-12)
    key <- apply(!is.na(y), 1, function(r) paste(as.integer(r), collapse = ""))
    d2 <- 0
    df <- -ncol(y)
    for (k in unique(key)) {
        rows <- y[key == k, , drop = FALSE]
        o <- which(!is.na(rows[1, ]))
        d <- colMeans(rows[, o, drop = FALSE]) - em$Mu[o]
        d2 <- d2 + nrow(rows) * drop(t(d) %*% solve(em$Sigma[o, o, drop = FALSE]) %*% d)
        df <- df + length(o)
    }
    list(data = path, items = items, n = nrow(y), patterns = length(unique(key)), chisq = d2, df = df,
         pvalue = pchisq(d2, df, lower.tail = FALSE))
}

crm.items <- c("LOY1", "LOY2", "LOY3", "UND1", "UND2", "UND3", "QUA1", "QUA2", "QUA3", "ORI1", "ORI2", "FLE1",
               "FLE2", "FLE3", "INT1", "INT2", "INT3", "SUC1", "SUC2", "SUC3", "SUC4")
tests <- list(
    little("Tests/SEMTests/Data/hs-holes.csv", paste0("x", 1:9)),
    little("Tests/SEMTests/Data/pd-holes.csv", c(paste0("y", 1:8), paste0("x", 1:3))),
    little("Tests/SEMTests/Data/crm-holes.csv", crm.items)
)
out <- list(
    provenance = list(script = "Scripts/reference/mcar.R", r_version = R.version.string,
                      lavaan_version = as.character(packageVersion("lavaan")),
                      generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z")),
    tests = tests)
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(15), pretty = TRUE),
           "Tests/SEMTests/References/fiml/little-mcar.json")
