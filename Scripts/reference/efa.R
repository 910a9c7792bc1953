# Usage: Rscript Scripts/reference/efa.R
#
# Reference values for Tests/FactorAnalysisTests: writes Tests/FactorAnalysisTests/References/efa-<data>.json for
# three data sets (psych's bfi 25 items, SampleData's CRM items, the synthetic 7-point likert7 items; complete
# rows only, no reverse-keying), each with KMO, Bartlett's test, the eigenvalues, parallel analysis and several
# (extraction, rotation, factors) solutions exactly as psych reports them. Produced with R 4.2.2, psych 2.2.9,
# GPArotation 2022.10.2 and jsonlite.
#
# Solutions: fa(r, nfactors, fm, rotate, n.obs) for minres / ml / pa, principal(r, nfactors, rotate, n.obs) for
# pc; the loadings are psych's (columns signed and ordered by psych), rows in the order of the items.
# Parallel analysis: fa.parallel(r, n.obs, n.iter = 100, plot = FALSE) on the correlation matrix (simulated normal
# data only; on a data frame psych compares with resampled data), seed 17: its nfact / ncomp are what crmstat's
# suggestion (its own random numbers) is compared with.

suppressPackageStartupMessages({
  library(psych)
  library(GPArotation)
  library(jsonlite)
})
stopifnot(packageVersion("psych") == "2.2.9")

reference <- function(name, file, items, solutions, sep = ",") {
  data <- read.csv(file, sep = sep, fileEncoding = "UTF-8-BOM", na.strings = c("NA", "", "."))[, items]
  data <- data[complete.cases(data), ]
  n <- nrow(data)
  r <- cor(data)
  kmo <- KMO(r)
  bartlett <- cortest.bartlett(r, n = n)
  set.seed(17)
  parallel <- fa.parallel(r, n.obs = n, n.iter = 100, plot = FALSE)
  fits <- lapply(solutions, function(s) {
    f <- if (s$fm == "pc") {
      principal(r, nfactors = s$k, rotate = s$rotate, n.obs = n)
    } else {
      fa(r, nfactors = s$k, fm = s$fm, rotate = s$rotate, n.obs = n)
    }
    L <- unclass(f$loadings)
    out <- list(
      extraction = s$fm, rotation = s$rotate, factors = s$k,
      loadings = unname(lapply(seq_len(nrow(L)), function(i) unname(L[i, ]))),
      communalities = unname(f$communality), uniquenesses = unname(f$uniquenesses),
      ss_loadings = unname(f$Vaccounted[1, ]),
      phi = if (is.null(f$Phi)) NULL else unname(lapply(seq_len(nrow(f$Phi)), function(i) unname(f$Phi[i, ]))),
      values = unname(f$values),
      fit = list(objective = f$objective, chisq = f$STATISTIC, df = f$dof, p = f$PVAL,
                 tli = if (is.null(f$TLI)) NA else f$TLI, rmsea = if (is.null(f$RMSEA)) NA else unname(f$RMSEA[1])))
    out
  })
  result <- list(
    data = name, n = n, items = items,
    kmo = list(overall = kmo$MSA, msa = unname(kmo$MSAi)),
    bartlett = list(chisq = bartlett$chisq, df = bartlett$df, p = bartlett$p.value),
    eigenvalues = eigen(r)$values,
    parallel = list(iterations = 100, nfact = parallel$nfact, ncomp = parallel$ncomp,
                    fa_values = parallel$fa.values, sim_pc = parallel$pc.sim, sim_fa = parallel$fa.sim),
    solutions = fits)
  path <- sprintf("Tests/FactorAnalysisTests/References/efa-%s.json", name)
  writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, null = "null", na = "null"), path)
  cat("wrote", path, "\n")
}

s <- function(fm, rotate, k) list(fm = fm, rotate = rotate, k = k)
bfi_items <- c(paste0("A", 1:5), paste0("C", 1:5), paste0("E", 1:5), paste0("N", 1:5), paste0("O", 1:5))
reference("bfi", "Tests/StudyTests/Data/bfi.csv", bfi_items, list(
  s("minres", "oblimin", 5), s("ml", "varimax", 5), s("pa", "promax", 5), s("pc", "varimax", 5),
  s("ml", "oblimin", 5), s("minres", "quartimax", 5), s("pc", "promax", 5), s("minres", "none", 5),
  s("pa", "oblimin", 6), s("ml", "promax", 3), s("minres", "varimax", 1)))
crm_items <- c("LOY1", "LOY2", "LOY3", "UND1", "UND2", "UND3", "QUA1", "QUA2", "QUA3", "ORI1", "ORI2",
               "FLE1", "FLE2", "FLE3", "INT1", "INT2", "INT3", "SUC1", "SUC2", "SUC3", "SUC4")
reference("crm", "SampleData/crm-survey.csv", crm_items, list(
  s("minres", "oblimin", 3), s("ml", "promax", 3), s("pa", "varimax", 2), s("pc", "oblimin", 3),
  s("ml", "none", 2), s("minres", "promax", 4)))
likert7_items <- c(paste0("TRU", 1:4), paste0("SAT", 1:3), paste0("COM", 1:5), paste0("INT", 1:3))
reference("likert7", "Tests/StudyTests/Data/likert7.csv", likert7_items, list(
  s("minres", "oblimin", 4), s("ml", "oblimin", 4), s("pa", "varimax", 4), s("pc", "promax", 3),
  s("ml", "quartimax", 4), s("minres", "promax", 2)), sep = ";")
