# Usage: Rscript Scripts/bench/peer-study.R DATA.csv MODEL.lav [SCALE_MIN SCALE_MAX]
#
# The study `crmstat analyze` runs, as a researcher would write it in R (the pipeline Scripts/bench/bench times
# against crmstat): read the CSV, listwise deletion over the model's items, demographic frequencies, construct
# scores (item means), descriptives, Cronbach's alpha (psych::alpha), Lilliefors and Kolmogorov-Smirnov
# (nortest::lillie.test, ks.test) and Shapiro-Wilk (shapiro.test, n <= 5000), one-sample t-tests against the
# scale midpoint (t.test), the Friedman ranking of the components (friedman.test) and the SEM (lavaan::sem with
# fitMeasures and standardized parameterEstimates). Prints the results; Scripts/bench/bench discards them.
suppressPackageStartupMessages({
  library(lavaan)
  library(psych)
  library(nortest)
})
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript Scripts/bench/peer-study.R DATA.csv MODEL.lav [SCALE_MIN SCALE_MAX]")
scale <- if (length(args) >= 4) as.numeric(args[3:4]) else c(1, 5)

model <- paste(readLines(args[2]), collapse = "\n")
table <- lavaanify(model)
measured <- table[table$op == "=~", ]
constructs <- unique(measured$lhs)
items <- setdiff(unique(measured$rhs), constructs)
outcomes <- unique(table$lhs[table$op == "~"])
components <- setdiff(constructs, outcomes)

data <- read.csv(args[1], na.strings = c("", "NA", "."))
complete <- data[complete.cases(data[, items]), ]
cat("rows", nrow(data), "complete", nrow(complete), "\n")

# Demographics: frequencies of the non-item columns with few distinct values.
for (column in setdiff(names(complete), items)) {
  values <- complete[[column]]
  if (length(unique(values)) <= 12) {
    counts <- table(values, useNA = "ifany")
    print(cbind(n = counts, percent = 100 * prop.table(counts), cumulative = cumsum(100 * prop.table(counts))))
  }
}

scores <- sapply(constructs, function(f) rowMeans(complete[, measured$rhs[measured$lhs == f], drop = FALSE]))
mode_of <- function(x) { counts <- table(x); as.numeric(names(counts)[which.max(counts)]) }
for (f in constructs) {
  x <- scores[, f]
  cat(f, "descriptives", length(x), mean(x), sd(x), var(x), min(x), max(x), median(x), mode_of(x), "\n")
  construct_items <- measured$rhs[measured$lhs == f]
  if (length(construct_items) >= 2) {
    a <- psych::alpha(complete[, construct_items], check.keys = FALSE, warnings = FALSE)
    print(a$total)
    print(a$item.stats[, c("mean", "sd", "r.drop")])
    print(a$alpha.drop$raw_alpha)
  }
  print(lillie.test(x))
  print(suppressWarnings(ks.test(x, "pnorm", mean(x), sd(x), exact = FALSE)))
  if (length(x) <= 5000) print(shapiro.test(x))
  print(t.test(x, mu = mean(scale)))
}
friedman <- friedman.test(as.matrix(scores[, components]))
print(friedman)
ranks <- t(apply(scores[, components], 1, rank))
print(colMeans(ranks))

fit <- sem(model, data = complete)
print(fitMeasures(fit, c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper",
                         "srmr", "gfi", "agfi", "aic", "bic", "logl", "npar")))
print(parameterEstimates(fit, standardized = TRUE))
print(lavInspect(fit, "r2"))
