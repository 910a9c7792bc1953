#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/groups.R    (from any directory; needs R >= 4.2 with car, lavaan)
#
# Writes Tests/ClassicalStatisticsTests/References/groups-<set>-<column>.json: the group tests of
# `crmstat groups DATA --model M --group COLUMN` computed by R, with each group's scores (so the Swift tests can
# feed the same samples to ClassicalStatistics) and a "provenance" object.
#
# Conventions (the ones crmstat implements):
#   - listwise deletion over every item of the model (missing: empty, NA, .); reverse-keyed x -> min + max - x;
#     score = row mean of a construct's items, constructs in model-file order;
#   - rows with no value in the group column are left out; groups in factor() order: numeric when every label is a
#     number, else sorted labels in the C locale (byte order);
#   - two groups: t.test(var.equal = FALSE / TRUE) of first minus second group, Cohen's d with the pooled SD and
#     the normal-approximation CI d +- 1.96 sqrt((n1+n2)/(n1 n2) + d^2/(2(n1+n2))), wilcox.test(exact = FALSE,
#     correct = TRUE) with W and the rank-biserial r = 2W/(n1 n2) - 1;
#   - three or more: aov (F, df, p, eta^2 = SSb/SSt), oneway.test(var.equal = FALSE), kruskal.test with
#     epsilon^2 = H/(N - 1);
#   - always car::leveneTest(center = median) (car's default) and (center = mean).
suppressPackageStartupMessages({
  library(car)
  library(lavaan)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
root <- normalizePath(file.path(dirname(script), "..", ".."))
setwd(root)
invisible(Sys.setlocale("LC_COLLATE", "C"))

sets <- list(
  list(name = "crm-survey", data = "SampleData/crm-survey.csv", model = "SampleData/crm-model.lav",
       scale = c(1, 5), reverse = character(0), groups = c("gender", "age_group", "education")),
  list(name = "bfi", data = "Tests/StudyTests/Data/bfi.csv", model = "Tests/StudyTests/Data/bfi.lav",
       scale = c(1, 6), reverse = c("A1", "C4", "C5", "E1", "E2", "O2", "O5"), groups = c("gender", "education"))
)

# ---- JSON (by hand: 17 significant digits where needed, null, one-element arrays) -----------------------------
json_number <- function(x) {
  if (is.na(x)) return("null")
  if (!is.finite(x)) stop("non-finite number in the reference: ", x)
  for (digits in 15:17) {
    s <- sprintf("%.*g", digits, x)
    if (as.numeric(s) == x) break
  }
  s
}
json_string <- function(s) paste0("\"", gsub("\"", "\\\"", gsub("\\", "\\\\", s, fixed = TRUE), fixed = TRUE), "\"")
to_json <- function(x) {
  if (is.list(x) && !is.null(names(x))) {
    return(paste0("{", paste(json_string(names(x)), vapply(x, to_json, ""), sep = ":", collapse = ","), "}"))
  }
  if (is.list(x)) return(paste0("[", paste(vapply(x, to_json, ""), collapse = ","), "]"))
  if (is.null(x) || length(x) == 1 && is.na(x)) return("null")
  if (is.character(x)) return(json_string(x))
  if (is.logical(x)) return(if (x) "true" else "false")
  json_number(x)
}

# ---- one comparison -------------------------------------------------------------------------------------------
levene <- function(y, g, center) {
  l <- leveneTest(y ~ g, center = center)
  list(statistic = l[1, "F value"], df1 = l[1, "Df"], df2 = l[2, "Df"], p = l[1, "Pr(>F)"])
}

compare <- function(y, g) {
  k <- nlevels(g)
  out <- list(ns = as.list(as.numeric(table(g))), means = as.list(unname(tapply(y, g, mean))),
              sds = as.list(unname(tapply(y, g, sd))),
              levene = levene(y, g, median), levene_mean = levene(y, g, mean))
  if (k == 2) {
    x1 <- y[g == levels(g)[1]]
    x2 <- y[g == levels(g)[2]]
    tt <- function(equal) {
      t <- t.test(x1, x2, var.equal = equal)
      list(statistic = unname(t$statistic), df = unname(t$parameter), p = t$p.value,
           ci_lower = t$conf.int[1], ci_upper = t$conf.int[2])
    }
    out$welch_t <- tt(FALSE)
    out$student_t <- tt(TRUE)
    n1 <- length(x1); n2 <- length(x2)
    sp <- sqrt(((n1 - 1) * var(x1) + (n2 - 1) * var(x2)) / (n1 + n2 - 2))
    d <- (mean(x1) - mean(x2)) / sp
    se <- sqrt((n1 + n2) / (n1 * n2) + d^2 / (2 * (n1 + n2)))
    out$cohens_d <- list(d = d, ci_lower = d - qnorm(0.975) * se, ci_upper = d + qnorm(0.975) * se)
    w <- wilcox.test(x1, x2, exact = FALSE, correct = TRUE)
    out$mann_whitney <- list(statistic = unname(w$statistic), p = w$p.value,
                             rank_biserial = 2 * unname(w$statistic) / (n1 * n2) - 1)
  } else {
    a <- summary(aov(y ~ g))[[1]]
    out$anova <- list(statistic = a[1, "F value"], df1 = a[1, "Df"], df2 = a[2, "Df"], p = a[1, "Pr(>F)"],
                      eta_squared = a[1, "Sum Sq"] / sum(a[, "Sum Sq"]))
    o <- oneway.test(y ~ g, var.equal = FALSE)
    out$welch_anova <- list(statistic = unname(o$statistic), df1 = unname(o$parameter[1]),
                            df2 = unname(o$parameter[2]), p = o$p.value)
    kw <- kruskal.test(y ~ g)
    out$kruskal_wallis <- list(statistic = unname(kw$statistic), df = unname(kw$parameter), p = kw$p.value,
                               epsilon_squared = unname(kw$statistic) / (length(y) - 1),
                               mean_ranks = as.list(unname(tapply(rank(y), g, mean))))
  }
  out
}

for (set in sets) {
  data <- read.csv(set$data, colClasses = "character", na.strings = c("", "NA", "."), check.names = FALSE)
  model <- lavParseModelString(paste(readLines(set$model), collapse = "\n"), as.data.frame. = TRUE)
  measurement <- model[model$op == "=~", ]
  constructs <- unique(measurement$lhs)
  items <- unique(measurement$rhs)
  complete <- data[complete.cases(data[, items]), ]
  for (item in items) {
    x <- as.numeric(complete[[item]])
    complete[[item]] <- if (item %in% set$reverse) sum(set$scale) - x else x
  }
  rownames(complete) <- NULL
  scores <- sapply(constructs, function(f) rowMeans(complete[, measurement$rhs[measurement$lhs == f], drop = FALSE]))
  for (column in set$groups) {
    value <- complete[[column]]
    keep <- !is.na(value)
    labels <- unique(value[keep])
    numeric <- suppressWarnings(as.numeric(labels))
    labels <- if (all(!is.na(numeric))) labels[order(numeric)] else sort(labels, method = "radix")
    g <- factor(value[keep], levels = labels)
    result <- list(
      provenance = list(
        script = "Scripts/reference/groups.R", r = R.version.string,
        car = as.character(packageVersion("car")), data = set$data, model = set$model,
        scale = as.list(set$scale), reverse = as.list(set$reverse),
        note = "scores: row means of each construct's items over the complete rows; samples in group order"),
      column = column, rows = nrow(data), complete_rows = nrow(complete), missing = sum(!keep),
      levels = lapply(seq_along(labels), function(i) list(label = labels[i], n = sum(g == labels[i]))),
      constructs = lapply(constructs, function(f) {
        y <- scores[keep, f]
        c(list(construct = f, samples = lapply(labels, function(l) as.list(unname(y[g == l])))), compare(y, g))
      }))
    path <- sprintf("Tests/ClassicalStatisticsTests/References/groups-%s-%s.json", set$name, column)
    writeLines(to_json(result), path)
    cat("wrote", path, "\n")
  }
}
