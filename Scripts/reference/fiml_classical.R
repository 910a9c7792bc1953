#!/usr/bin/env Rscript
# Usage: Rscript Scripts/reference/fiml_classical.R      (from the repository root; needs R with psych and jsonlite)
#
# The classical sections under --missing fiml (issue 15): each construct's alpha, descriptives and one-sample
# t-test on the respondents who answered all of that construct's items, and Friedman's test on those who answered
# every component's items, for SampleData's model on Tests/SEMTests/Data/crm-holes.csv (5 % blank cells; made by
# Scripts/reference/fiml.R). psych::alpha, mean/sd, t.test(mu = 3), friedman.test.
# Writes Tests/StudyTests/References/fiml-classical.json.
suppressPackageStartupMessages({
    library(psych)
    library(jsonlite)
})
data <- read.csv("Tests/SEMTests/Data/crm-holes.csv", na.strings = c("", "NA"))
constructs <- list(
    Loyalty = c("LOY1", "LOY2", "LOY3"), Understanding = c("UND1", "UND2", "UND3"),
    Quality = c("QUA1", "QUA2", "QUA3"), Orientation = c("ORI1", "ORI2"), Flexibility = c("FLE1", "FLE2", "FLE3"),
    Interaction = c("INT1", "INT2", "INT3"), Success = c("SUC1", "SUC2", "SUC3", "SUC4"))
rows <- lapply(names(constructs), function(name) {
    x <- data[complete.cases(data[, constructs[[name]]]), constructs[[name]]]
    score <- rowMeans(x)
    t <- t.test(score, mu = 3)
    list(construct = name, n = nrow(x),
         alpha = suppressWarnings(psych::alpha(x, warnings = FALSE)$total$raw_alpha),
         mean = mean(score), sd = sd(score), t = unname(t$statistic), p = t$p.value)
})
components <- setdiff(names(constructs), "Success")
items <- unlist(constructs[components])
joint <- data[complete.cases(data[, items]), ]
scores <- sapply(components, function(name) rowMeans(joint[, constructs[[name]]]))
f <- friedman.test(scores)
out <- list(
    provenance = list(script = "Scripts/reference/fiml_classical.R", r_version = R.version.string,
                      psych_version = as.character(packageVersion("psych")),
                      generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z")),
    data = "Tests/SEMTests/Data/crm-holes.csv", model = "SampleData/crm-model.lav", test_value = 3,
    constructs = rows,
    friedman = list(n = nrow(joint), chisq = unname(f$statistic), df = unname(f$parameter), p = f$p.value))
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(15), pretty = TRUE),
           "Tests/StudyTests/References/fiml-classical.json")
