#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/study.R [crm-survey|bfi|likert7 ...]    (default: all three)
#
# Writes Tests/StudyTests/References/<set>.json: every number `crmstat analyze --format json` reports in the
# sections input, descriptives, reliability, normality, ttest and friedman (CONTRACT.md), computed by the R
# reference implementations (psych::alpha, nortest::lillie.test, stats::ks.test, shapiro.test, t.test,
# friedman.test), plus a "provenance" object. Runs from any directory; paths are relative to the repository.
#
# Conventions (the ones crmstat implements):
#   - reverse-keyed item x -> min + max - x on the given scale;
#   - listwise deletion over every item named on the right of a `=~` line (missing: empty, NA, .);
#     every statistic is computed on the complete rows;
#   - constructs = the lhs of the `=~` lines in model-file order, score = row mean of its items;
#   - frequencies: every non-item column with at most 12 distinct non-missing values over the complete rows;
#     levels sorted numerically when all are numbers, else by byte order; missing cells last, value null;
#   - alpha_ci_lower/alpha_ci_upper: Feldt, as psych::alpha.ci; alpha_if_deleted is null for a two-item construct (the one item left
#     has no alpha; psych reports a covariance ratio there);
#   - friedman over the constructs that are not the lhs of a `~` line; mean rank from row-wise rank() with ties
#     averaged; rank 1 = highest mean rank (equal mean ranks: model order); W = chi2 / (n (k - 1)).
suppressPackageStartupMessages({
  library(psych)
  library(nortest)
  library(lavaan)
})

sets <- list(
  "crm-survey" = list(data = "SampleData/crm-survey.csv", model = "SampleData/crm-model.lav",
                      delimiter = ",", scale = c(1, 5), reverse = character(0)),
  "bfi" = list(data = "Tests/StudyTests/Data/bfi.csv", model = "Tests/StudyTests/Data/bfi.lav",
               delimiter = ",", scale = c(1, 6), reverse = c("A1", "C4", "C5", "E1", "E2", "O2", "O5")),
  "likert7" = list(data = "Tests/StudyTests/Data/likert7.csv", model = "Tests/StudyTests/Data/likert7.lav",
                   delimiter = ";", scale = c(1, 7), reverse = c("TRU3", "COM2"))
)
missing_codes <- c("", "NA", ".")
max_levels <- 12

# ---- JSON (written by hand: exact control of numbers, null and one-element arrays) ----------------------------
# A named list is an object, an unnamed list an array; a scalar is a number, string, boolean or null (NULL/NA).

json_number <- function(x) {
  if (is.na(x)) return("null")
  if (!is.finite(x)) stop("non-finite number in the reference: ", x)
  for (digits in 15:17) {
    s <- sprintf("%.*g", digits, x)
    if (as.numeric(s) == x) break
  }
  s
}

json_string <- function(s) {
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub("\"", "\\\"", s, fixed = TRUE)
  s <- gsub("\n", "\\n", s, fixed = TRUE)
  s <- gsub("\r", "\\r", s, fixed = TRUE)
  s <- gsub("\t", "\\t", s, fixed = TRUE)
  paste0("\"", s, "\"")
}

json_scalar <- function(x) {
  if (is.null(x)) return("null")
  if (length(x) != 1) stop("a vector of length ", length(x), " must be written as a list")
  if (is.na(x)) return("null")
  if (is.logical(x)) return(if (x) "true" else "false")
  if (is.numeric(x)) return(json_number(x))
  json_string(enc2utf8(as.character(x)))
}

to_json <- function(x, indent = "") {
  inner <- paste0(indent, "  ")
  if (is.list(x) && !is.null(names(x))) {
    if (length(x) == 0) return("{}")
    fields <- mapply(function(k, v) paste0(inner, json_string(k), ": ", to_json(v, inner)), names(x), x)
    return(paste0("{\n", paste(fields, collapse = ",\n"), "\n", indent, "}"))
  }
  if (is.list(x)) {
    if (length(x) == 0) return("[]")
    if (all(vapply(x, function(v) !is.list(v), logical(1)))) {
      return(paste0("[", paste(vapply(x, json_scalar, character(1)), collapse = ", "), "]"))
    }
    elements <- vapply(x, function(v) paste0(inner, to_json(v, inner)), character(1))
    return(paste0("[\n", paste(elements, collapse = ",\n"), "\n", indent, "]"))
  }
  json_scalar(x)
}

# ---- input ----------------------------------------------------------------------------------------------------

read_model <- function(path) {
  syntax <- paste(readLines(path, warn = FALSE), collapse = "\n")
  table <- lavaan::lavParseModelString(syntax, as.data.frame. = TRUE)
  measurement <- table[table$op == "=~", ]
  constructs <- unique(measurement$lhs)
  items <- lapply(constructs, function(f) {
    rhs <- measurement$rhs[measurement$lhs == f]
    rhs[!rhs %in% constructs]     # a second-order factor's indicators are constructs, not items
  })
  names(items) <- constructs
  items <- items[lengths(items) > 0]
  outcomes <- unique(table$lhs[table$op == "~"])
  list(items = items, components = setdiff(names(items), outcomes))
}

read_survey <- function(path, delimiter) {
  read.table(path, header = TRUE, sep = delimiter, quote = "\"", colClasses = "character",
             na.strings = character(0),
             comment.char = "", check.names = FALSE, strip.white = TRUE, fileEncoding = "UTF-8-BOM",
             encoding = "UTF-8", blank.lines.skip = TRUE)
}

# ---- statistics -----------------------------------------------------------------------------------------------

descriptive <- function(construct, items, x) {
  values <- sort(unique(x))
  counts <- tabulate(match(x, values), length(values))
  list(construct = construct, items = as.list(items), n = length(x), mean = mean(x), sd = sd(x), variance = var(x),
       min = min(x), max = max(x), range = max(x) - min(x), median = median(x),
       mode = values[which.max(counts)])           # first maximum of the sorted values = the smallest tied mode
}

frequencies <- function(data, item_names, complete) {
  out <- list()
  for (column in setdiff(names(data), item_names)) {
    v <- data[[column]][complete]
    present <- !v %in% missing_codes
    levels <- unique(v[present])
    if (length(levels) == 0 || length(levels) > max_levels) next
    numbers <- suppressWarnings(as.numeric(levels))
    levels <- if (all(!is.na(numbers))) levels[order(numbers)] else sort(levels, method = "radix")
    n <- length(v)
    counts <- vapply(levels, function(l) sum(v[present] == l), numeric(1))
    values <- as.list(levels)
    if (any(!present)) {
      counts <- c(counts, sum(!present))
      values <- c(values, list(NULL))
    }
    cumulative <- cumsum(counts)
    out[[length(out) + 1]] <- list(variable = column, levels = lapply(seq_along(counts), function(i) {
      list(value = values[[i]], count = unname(counts[i]), percent = 100 * unname(counts[i]) / n,
           cumulative_percent = 100 * unname(cumulative[i]) / n)
    }))
  }
  out
}

reliability <- function(construct, items, x) {
  k <- length(items)
  a <- suppressWarnings(suppressMessages(psych::alpha(as.data.frame(x), check.keys = FALSE, warnings = FALSE)))
  alpha <- a$total$raw_alpha
  n <- nrow(x)
  # Feldt's interval, as psych::alpha.ci: F with n - 1 and (n - 1)(k - 1) degrees of freedom
  df1 <- n - 1
  df2 <- (n - 1) * (k - 1)
  ci <- c(1 - (1 - alpha) * qf(0.975, df1, df2), 1 - (1 - alpha) * qf(0.025, df1, df2))
  stopifnot(isTRUE(all.equal(ci, unname(unlist(c(a$feldt$lower.ci, a$feldt$upper.ci))), tolerance = 1e-12)))
  stats <- a$item.stats
  list(construct = construct, items = as.list(items), alpha = alpha, std_alpha = a$total$std.alpha,
       alpha_ci_lower = ci[[1]], alpha_ci_upper = ci[[2]],
       item_stats = lapply(seq_len(k), function(i) {
         list(item = items[i], mean = stats$mean[i], sd = stats$sd[i], item_total_r = stats$r.drop[i],
              alpha_if_deleted = if (k > 2) a$alpha.drop$raw_alpha[i] else NULL)
       }))
}

normality <- function(construct, x) {
  lillie <- nortest::lillie.test(x)
  ks <- suppressWarnings(ks.test(x, "pnorm", mean(x), sd(x), exact = FALSE))
  shapiro <- if (length(x) >= 3 && length(x) <= 5000) shapiro.test(x) else NULL
  list(construct = construct, n = length(x), ks_statistic = unname(lillie$statistic),
       lilliefors_p = lillie$p.value,
       kolmogorov_p = ks$p.value, shapiro_w = if (is.null(shapiro)) NULL else unname(shapiro$statistic),
       shapiro_p = if (is.null(shapiro)) NULL else shapiro$p.value, normal = lillie$p.value > 0.05,
       # SPSS's G1 and G2 (Joanes & Gill 1998 type 2) and their standard errors
       skewness = psych::skew(x, type = 2), kurtosis = psych::kurtosi(x, type = 2),
       se_skewness = se_skew(length(x)), se_kurtosis = 2 * se_skew(length(x)) *
         sqrt((length(x)^2 - 1) / ((length(x) - 3) * (length(x) + 5))))
}

# Pearson correlations of the construct scores (cor) and their two-sided cor.test p (null on the diagonal).
correlations <- function(scores) {
  k <- ncol(scores)
  r <- cor(scores)
  p <- lapply(seq_len(k), function(a) lapply(seq_len(k), function(b)
    if (a == b) NULL else cor.test(scores[, a], scores[, b])$p.value))
  list(constructs = as.list(colnames(scores)), n = nrow(scores),
       r = lapply(seq_len(k), function(a) as.list(unname(r[a, ]))), p = p)
}

# psych::mardia on the model's items (the SEM's observed variables), complete rows.
mardia_test <- function(x) {
  m <- psych::mardia(x, plot = FALSE)
  list(n = m$n.obs, variables = m$n.var, b1p = m$b1p, b2p = m$b2p, skew = m$skew,
       skew_df = m$n.var * (m$n.var + 1) * (m$n.var + 2) / 6, skew_p = m$p.skew,
       small_sample_skew = m$small.skew, small_sample_skew_p = m$p.small, kurtosis = m$kurtosis,
       kurtosis_p = m$p.kurt)
}

se_skew <- function(n) sqrt(6 * n * (n - 1) / ((n - 2) * (n + 1) * (n + 3)))

one_sample_t <- function(construct, x, mu) {
  t <- t.test(x, mu = mu)
  list(construct = construct, n = length(x), mean = unname(t$estimate), sd = sd(x), test_value = mu,
       t = unname(t$statistic), df = unname(t$parameter), p = t$p.value,
       ci_lower = t$conf.int[1] - mu, ci_upper = t$conf.int[2] - mu,
       cohens_d = (mean(x) - mu) / sd(x))  # one-sample Cohen's d (effectsize::cohens_d(x, mu = mu))
}

friedman <- function(scores) {
  m <- as.matrix(scores)
  f <- friedman.test(m)
  n <- nrow(m)
  k <- ncol(m)
  mean_rank <- colMeans(t(apply(m, 1, rank)))     # rank(): ties averaged
  order_ <- order(-mean_rank, seq_len(k))
  rank <- integer(k)
  rank[order_] <- seq_len(k)
  chi2 <- unname(f$statistic)
  list(constructs = as.list(colnames(m)), n = n, chisq = chi2, df = unname(f$parameter), p = f$p.value,
       kendall_w = chi2 / (n * (k - 1)),
       mean_ranks = lapply(seq_len(k), function(j) {
         list(construct = colnames(m)[j], mean_rank = unname(mean_rank[j]), rank = rank[j])
       }))
}

# ---- one data set ---------------------------------------------------------------------------------------------

study <- function(name, set) {
  model <- read_model(set$model)
  data <- read_survey(set$data, set$delimiter)
  item_names <- unique(unlist(model$items))
  absent <- setdiff(item_names, names(data))
  if (length(absent) > 0) stop(set$data, ": no column ", paste(absent, collapse = ", "))
  lo <- set$scale[1]
  hi <- set$scale[2]
  items <- sapply(item_names, function(item) {
    v <- data[[item]]
    x <- ifelse(v %in% missing_codes, NA_real_, suppressWarnings(as.numeric(v)))
    bad <- which(!v %in% missing_codes & (is.na(x) | x < lo | x > hi))
    if (length(bad) > 0) stop(set$data, ": column ", item, ", data row ", bad[1], ": '", v[bad[1]], "'")
    if (item %in% set$reverse) lo + hi - x else x
  })
  complete <- complete.cases(items)
  x <- items[complete, , drop = FALSE]
  scores <- sapply(model$items, function(cols) rowMeans(x[, cols, drop = FALSE]))
  test_value <- (lo + hi) / 2
  constructs <- names(model$items)

  list(
    input = list(data = set$data, model = set$model, rows = nrow(data), complete_rows = sum(complete),
                 dropped_rows = sum(!complete), missing = "listwise",
                 scale = list(min = lo, max = hi, inferred = FALSE), reversed = as.list(set$reverse),
                 test_value = test_value),
    descriptives = list(
      constructs = lapply(constructs, function(f) descriptive(f, model$items[[f]], scores[, f])),
      frequencies = frequencies(data, item_names, complete),
      correlations = correlations(scores[, constructs, drop = FALSE])),
    reliability = lapply(constructs, function(f) {
      reliability(f, model$items[[f]], x[, model$items[[f]], drop = FALSE])
    }),
    normality = lapply(constructs, function(f) normality(f, scores[, f])),
    ttest = lapply(constructs, function(f) one_sample_t(f, scores[, f], test_value)),
    friedman = friedman(scores[, model$components, drop = FALSE]),
    mardia = mardia_test(x),
    provenance = list(
      generator = "Scripts/reference/study.R",
      command = paste("Rscript Scripts/reference/study.R", name),
      r_version = R.version.string,
      packages = list(psych = as.character(packageVersion("psych")),
                      nortest = as.character(packageVersion("nortest")),
                      lavaan = as.character(packageVersion("lavaan"))),
      date = format(Sys.Date(), "%Y-%m-%d"),
      options = list(scale = paste0(lo, "-", hi), reverse = as.list(set$reverse), test_value = test_value))
  )
}

# ---- main -----------------------------------------------------------------------------------------------------

script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
if (length(script) == 1) setwd(normalizePath(file.path(dirname(script), "..", "..")))
wanted <- commandArgs(TRUE)
if (length(wanted) == 0) wanted <- names(sets)
unknown <- setdiff(wanted, names(sets))
if (length(unknown) > 0) stop("unknown data set ", paste(unknown, collapse = ", "), "; known: ",
                              paste(names(sets), collapse = ", "))
dir.create("Tests/StudyTests/References", showWarnings = FALSE, recursive = TRUE)
for (name in wanted) {
  result <- study(name, sets[[name]])
  path <- file.path("Tests/StudyTests/References", paste0(name, ".json"))
  con <- file(path, open = "wb")
  writeBin(charToRaw(enc2utf8(paste0(to_json(result), "\n"))), con)
  close(con)
  cat(sprintf("%s: %d of %d rows complete -> %s\n", name, result$input$complete_rows, result$input$rows, path))
}
