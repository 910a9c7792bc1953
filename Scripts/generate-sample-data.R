#!/usr/bin/env Rscript
# Usage: Rscript Scripts/generate-sample-data.R    (from the repository root; takes a few seconds)
#
# Writes the data sets crmstat ships and tests with, reproducibly (fixed seeds, R >= 3.6 sampling):
#   SampleData/crm-survey.csv            synthetic survey shaped like Zare & Honarvar (2021), 174 of 177 complete
#   Tests/StudyTests/Data/likert7.csv    synthetic 7-point survey: ';', CRLF, UTF-8 BOM, '.' = missing
#   Tests/StudyTests/Data/bfi.csv        psych::bfi (Big Five Inventory, 2800 rows) as CSV, NA = missing
# and checks with lavaan and psych that the models in SampleData/crm-model.lav and
# Tests/StudyTests/Data/likert7.lav converge and fit, and that the scales are reliable.
#
# Both synthetic sets come from a population structural equation model: correlated standard-normal latent
# components, an outcome regressed on them, items = loading * factor + normal error (unit variance), then each
# item cut into Likert categories at fixed thresholds chosen so that the item has a given expected mean.
suppressPackageStartupMessages({
  library(psych)
  library(lavaan)
})

RNGkind("Mersenne-Twister", "Inversion", "Rejection")

# ---- population model helpers ---------------------------------------------------------------------------------

# n draws of the latent variables: components ~ N(0, phi); outcome = components %*% beta + disturbance, with the
# disturbance variance chosen so that the outcome has unit variance.
simulate_latent <- function(n, phi, beta, outcome) {
  stopifnot(isSymmetric(phi), all(eigen(phi, only.values = TRUE)$values > 0))
  components <- matrix(rnorm(n * ncol(phi)), n) %*% chol(phi)
  colnames(components) <- colnames(phi)
  r2 <- drop(t(beta) %*% phi %*% beta)
  stopifnot(r2 < 1)
  y <- drop(components %*% beta) + sqrt(1 - r2) * rnorm(n)
  latent <- cbind(components, y)
  colnames(latent)[ncol(latent)] <- outcome
  latent
}

# Continuous standardized item responses: loading * factor + sqrt(1 - loading^2) * error.
simulate_items <- function(latent, loadings) {
  out <- list()
  for (factor in names(loadings)) {
    l <- loadings[[factor]]
    for (item in names(l)) {
      out[[item]] <- l[[item]] * latent[, factor] + sqrt(1 - l[[item]]^2) * rnorm(nrow(latent))
    }
  }
  as.data.frame(out)
}

# Thresholds on the N(0, 1) response scale that give a Likert item (1..points) the expected mean `target`:
# a base set of thresholds shifted by the amount that solves 1 + sum(P(y > tau)) = target.
thresholds_for_mean <- function(target, base) {
  expected <- function(shift) 1 + sum(pnorm(base - shift, lower.tail = FALSE))
  shift <- uniroot(function(s) expected(s) - target, c(-5, 5), tol = 1e-12)$root
  base - shift
}

discretize <- function(y, tau) findInterval(y, tau) + 1L

# ---- CSV writing (only what a survey tool would write: quotes only where needed, or always if asked) -----------

csv_field <- function(x, delimiter, always_quote = FALSE) {
  x <- as.character(x)
  needs <- always_quote | grepl(paste0("[\"\n\r", delimiter, "]"), x)
  ifelse(needs, paste0("\"", gsub("\"", "\"\"", x, fixed = TRUE), "\""), x)
}

write_survey <- function(cells, path, delimiter = ",", eol = "\n", bom = FALSE) {
  lines <- c(paste(names(cells), collapse = delimiter), do.call(paste, c(unname(cells), sep = delimiter)))
  con <- file(path, open = "wb")
  on.exit(close(con))
  if (bom) writeBin(as.raw(c(0xef, 0xbb, 0xbf)), con)
  writeBin(charToRaw(enc2utf8(paste0(paste(lines, collapse = eol), eol))), con)
}

# ---- fit checks -----------------------------------------------------------------------------------------------

check_study <- function(label, items, model_file, constructs) {
  complete <- items[complete.cases(items), ]
  model <- paste(readLines(model_file), collapse = "\n")
  fit <- sem(model, data = complete)
  stopifnot(lavInspect(fit, "converged"))
  fm <- fitMeasures(fit, c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr"))
  cat(sprintf("\n%s: n = %d complete of %d\n", label, nrow(complete), nrow(items)))
  cat(sprintf("  lavaan ML: chisq = %.3f, df = %d, p = %.4f, CFI = %.4f, TLI = %.4f, RMSEA = %.4f, SRMR = %.4f\n",
              fm["chisq"], as.integer(fm["df"]), fm["pvalue"], fm["cfi"], fm["tli"], fm["rmsea"], fm["srmr"]))
  std <- standardizedSolution(fit)
  loads <- std[std$op == "=~", ]
  cat(sprintf("  standardized loadings %.3f .. %.3f\n", min(loads$est.std), max(loads$est.std)))
  paths <- std[std$op == "~", ]
  for (i in seq_len(nrow(paths))) {
    cat(sprintf("  %s ~ %-14s std %6.3f  z %6.2f  p %.4f\n", paths$lhs[i], paths$rhs[i], paths$est.std[i],
                paths$z[i], paths$pvalue[i]))
  }
  alphas <- sapply(constructs, function(cols) {
    suppressWarnings(psych::alpha(complete[, cols], check.keys = FALSE, warnings = FALSE)$total$raw_alpha)
  })
  means <- sapply(constructs, function(cols) mean(rowMeans(complete[, cols])))
  cat(sprintf("  %-14s alpha %.3f  mean %.3f\n", names(constructs), alphas, means), sep = "")
  invisible(list(fit = fm, alphas = alphas, means = means, paths = paths))
}

# ---- SampleData/crm-survey.csv ---------------------------------------------------------------------------------

make_crm_survey <- function(path = "SampleData/crm-survey.csv") {
  set.seed(2021)
  n <- 177
  components <- c("Loyalty", "Understanding", "Quality", "Orientation", "Flexibility", "Interaction")
  phi <- matrix(c(
    1.00, 0.45, 0.50, 0.40, 0.35, 0.45,
    0.45, 1.00, 0.55, 0.45, 0.40, 0.40,
    0.50, 0.55, 1.00, 0.40, 0.45, 0.35,
    0.40, 0.45, 0.40, 1.00, 0.35, 0.40,
    0.35, 0.40, 0.45, 0.35, 1.00, 0.50,
    0.45, 0.40, 0.35, 0.40, 0.50, 1.00), 6, dimnames = list(components, components))
  # standardized paths to Success: Loyalty strongest, Orientation and Interaction near zero (H4, H6 unsupported)
  beta <- c(Loyalty = 0.50, Understanding = 0.22, Quality = 0.18, Orientation = 0.02, Flexibility = 0.15,
            Interaction = 0.00)
  latent <- simulate_latent(n, phi, beta, "Success")
  loadings <- list(
    Loyalty = c(LOY1 = 0.82, LOY2 = 0.78, LOY3 = 0.74),
    Understanding = c(UND1 = 0.72, UND2 = 0.80, UND3 = 0.66),
    Quality = c(QUA1 = 0.76, QUA2 = 0.70, QUA3 = 0.81),
    Orientation = c(ORI1 = 0.84, ORI2 = 0.79),
    Flexibility = c(FLE1 = 0.68, FLE2 = 0.77, FLE3 = 0.72),
    Interaction = c(INT1 = 0.75, INT2 = 0.69, INT3 = 0.80),
    Success = c(SUC1 = 0.80, SUC2 = 0.76, SUC3 = 0.83, SUC4 = 0.70))
  y <- simulate_items(latent, loadings)
  # expected component means (the paper's Table 8 has loyalty at 3.82); items vary around them by +-0.12
  target <- c(Loyalty = 3.82, Understanding = 3.62, Quality = 3.70, Orientation = 3.56, Flexibility = 3.64,
              Interaction = 3.52, Success = 3.70)
  base <- c(-1.9, -1.15, -0.3, 0.8)
  items <- y
  for (factor in names(loadings)) {
    for (item in names(loadings[[factor]])) {
      tau <- thresholds_for_mean(target[[factor]] + runif(1, -0.12, 0.12), base)
      items[[item]] <- discretize(y[[item]], tau)
    }
  }

  gender <- sample(c("male", "female"), n, replace = TRUE, prob = c(0.56, 0.44))
  age_group <- sample(c("18-25", "26-35", "36-45", "46+"), n, replace = TRUE, prob = c(0.27, 0.39, 0.22, 0.12))
  education <- sample(c("Diploma", "Bachelor", "Master", "PhD"), n, replace = TRUE,
                      prob = c(0.17, 0.46, 0.29, 0.08))
  comments <- c(
    "Fast delivery, friendly drivers.",
    "The app is \"smart\" but the support chat is slow",
    "Prices went up, quality did not",
    "Support said \"we will call you back\", they never did.",
    "Good service overall",
    "I order food almost every day",
    "Please add more payment options",
    "The driver was late twice this month",
    "Refunds take too long, about 10 days",
    "Great service \u2014 five stars",
    "They remember my usual order, which I like",
    "Notifications are too many",
    "\"Customer first\" is just a slogan",
    "Easy to use",
    "The new loyalty points are useful",
    "Delivery fee is high for short distances",
    "Better than the competitors, honestly",
    "No complaints"
  )
  comment <- rep("", n)
  missing_rows <- c(23L, 88L, 141L)
  comment[sample(setdiff(seq_len(n), missing_rows), length(comments))] <- comments

  # three respondents skipped one or two items: an empty cell, an NA, and both
  cells <- lapply(items, as.character)
  cells$QUA2[23] <- ""
  cells$FLE1[88] <- "NA"
  cells$INT2[141] <- "NA"
  cells$SUC3[141] <- ""

  out <- c(list(id = seq_len(n), gender = gender, age_group = age_group, education = education,
                comment = csv_field(comment, ",")), cells)
  write_survey(out, path)

  numeric <- as.data.frame(lapply(cells, function(v) suppressWarnings(as.numeric(v))))
  constructs <- lapply(loadings, names)
  check <- check_study("crm-survey", numeric, "SampleData/crm-model.lav", constructs)
  stopifnot(sum(complete.cases(numeric)) == 174, check$fit["cfi"] > 0.9, all(check$alphas[1:6] > 0.6),
            sum(check$alphas[1:6] > 0.7) >= 4, all(check$means > 3))
}

# ---- Tests/StudyTests/Data/likert7.csv -------------------------------------------------------------------------

make_likert7 <- function(path = "Tests/StudyTests/Data/likert7.csv") {
  set.seed(7)
  n <- 300
  components <- c("Trust", "Satisfaction", "Commitment")
  phi <- matrix(c(
    1.00, 0.50, 0.40,
    0.50, 1.00, 0.45,
    0.40, 0.45, 1.00), 3, dimnames = list(components, components))
  beta <- c(Trust = 0.35, Satisfaction = 0.40, Commitment = 0.05)
  latent <- simulate_latent(n, phi, beta, "Intention")
  loadings <- list(
    Trust = c(TRU1 = 0.78, TRU2 = 0.72, TRU3 = 0.65, TRU4 = 0.80),
    Satisfaction = c(SAT1 = 0.83, SAT2 = 0.77, SAT3 = 0.70),
    Commitment = c(COM1 = 0.74, COM2 = 0.62, COM3 = 0.79, COM4 = 0.71, COM5 = 0.68),
    Intention = c(INT1 = 0.85, INT2 = 0.80, INT3 = 0.75))
  y <- simulate_items(latent, loadings)
  target <- c(Trust = 4.9, Satisfaction = 5.2, Commitment = 4.1, Intention = 4.8)
  base <- c(-2.1, -1.4, -0.75, -0.1, 0.55, 1.3)
  items <- y
  for (factor in names(loadings)) {
    for (item in names(loadings[[factor]])) {
      tau <- thresholds_for_mean(target[[factor]] + runif(1, -0.2, 0.2), base)
      items[[item]] <- discretize(y[[item]], tau)
    }
  }
  reversed <- c("TRU3", "COM2")          # worded negatively: the file holds 8 - x
  for (item in reversed) items[[item]] <- 8L - items[[item]]

  departments <- c("Sales", "Customer service", "Logistics", "IT; support", "Management")
  department <- sample(departments, n, replace = TRUE, prob = c(0.30, 0.28, 0.18, 0.14, 0.10))

  cells <- lapply(items, as.character)
  # 13 respondents skipped 1-3 items ('.')
  skipped <- sort(sample(seq_len(n), 13))
  for (r in skipped) {
    for (item in sample(names(cells), sample(1:3, 1))) cells[[item]][r] <- "."
  }
  department <- csv_field(department, ";", always_quote = TRUE)
  # two respondents did not say (unquoted '.', the file's missing code), both with complete items
  department[sample(setdiff(seq_len(n), skipped), 2)] <- "."

  out <- c(list(respondent = seq_len(n), department = department), cells)
  write_survey(out, path, delimiter = ";", eol = "\r\n", bom = TRUE)

  numeric <- as.data.frame(lapply(cells, function(v) suppressWarnings(as.numeric(v))))
  for (item in reversed) numeric[[item]] <- 8 - numeric[[item]]
  constructs <- lapply(loadings, names)
  check <- check_study("likert7", numeric, "Tests/StudyTests/Data/likert7.lav", constructs)
  stopifnot(check$fit["cfi"] > 0.9, all(check$alphas > 0.6))
}

# ---- Tests/StudyTests/Data/bfi.csv -----------------------------------------------------------------------------

make_bfi <- function(path = "Tests/StudyTests/Data/bfi.csv") {
  data("bfi", package = "psych", envir = environment())
  stopifnot(nrow(bfi) == 2800, ncol(bfi) == 28)
  write.table(bfi, path, sep = ",", na = "NA", row.names = FALSE, quote = FALSE, eol = "\n")
  cat(sprintf("\nbfi: %d rows, %d complete on the 25 items\n", nrow(bfi), sum(complete.cases(bfi[, 1:25]))))
}

make_crm_survey()
make_likert7()
make_bfi()
