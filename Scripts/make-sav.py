#!/usr/bin/env python3
"""Usage: Scripts/make-sav.py   (needs `pip install pyreadstat pandas`)

Converts SampleData/crm-survey.csv into the files an SPSS or Stata user would have, with the same answers:

  SampleData/crm-survey.sav                 SPSS: variable labels ("Q7. The service responds quickly"), value labels
                                            (gender, age_group and education coded 1..k; items 1 = very low ... 5 =
                                            very high) and the user-missing code 9 = "no answer" on every item
  Tests/StatFilesTests/Data/crm-survey.zsav the same, zlib-compressed (SPSS 21+)
  Tests/StatFilesTests/Data/crm-survey.dta  Stata 14+ (format 118, XML-like header), labels, no user-missing codes
  Tests/StatFilesTests/Data/crm-survey-v12.dta  Stata 12 (format 115, binary header)
  Tests/Fuzz/corpus/stat/*                  the first 8 respondents and 6 variables in each format: Scripts/fuzz's seeds
  Tests/StatFilesTests/Data/crm-survey-half.sav  SPSS, no labels, respondent 6's LOY2 answered 2.5: an answer that is
                                            not a whole number (crmstat then keeps that item's answers as Doubles)
  Tests/EndToEndTests/Data/ratings.sav      SPSS: 10 experts' content-validity ratings for `crmstat cvr`, Q1 coded
                                            1 = essential, 2 = useful but not essential, 3 = not necessary (value
                                            labels), Q2 coded 1/0 without labels: the ratings of CommandLineTests'
                                            CSV (Q1: 9 essential, Q2: 7)
  Tests/StatFilesTests/Data/crm-survey.por  SPSS portable, variable labels only (pyreadstat writes no value labels;
                                            ASCII: no comment column; 8-character names agegroup, educ)

The CSV's missing answers become system-missing, except respondent 23's skipped QUA2, which becomes the
user-missing 9 ("no answer") in the SPSS files: crmstat must treat it as missing, as SPSS does, so every file gives
the numbers of the CSV (Tests/EndToEndTests/SPSSTests.swift compares them). Running it again rewrites the files;
ReadStat stamps the creation time into them, so the bytes differ but the contents do not.
"""

import csv
import math
import os
import sys

try:
    import pandas as pd
    import pyreadstat
except ImportError:
    sys.exit("Scripts/make-sav.py: needs pyreadstat and pandas (pip install pyreadstat pandas)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSV = os.path.join(ROOT, "SampleData", "crm-survey.csv")
SAV = os.path.join(ROOT, "SampleData", "crm-survey.sav")
TEST_DATA = os.path.join(ROOT, "Tests", "StatFilesTests", "Data")
FUZZ_CORPUS = os.path.join(ROOT, "Tests", "Fuzz", "corpus", "stat")

ITEM_TEXT = {
    "LOY1": "I keep using this service instead of switching",
    "LOY2": "I recommend this service to friends and family",
    "LOY3": "I would choose this service again",
    "UND1": "The service knows what I need",
    "UND2": "The service asks for my opinion and suggestions",
    "UND3": "The service anticipates my needs",
    "QUA1": "The service responds quickly",
    "QUA2": "The service is reliable",
    "QUA3": "The service is delivered as promised",
    "ORI1": "The company puts its customers first",
    "ORI2": "The staff treat me as an individual",
    "FLE1": "The service adapts to my requests",
    "FLE2": "Changing an order is easy",
    "FLE3": "The service offers options that suit me",
    "INT1": "It is easy to contact the company",
    "INT2": "The company answers my messages",
    "INT3": "The company keeps me informed",
    "SUC1": "The company's new services meet my needs",
    "SUC2": "I try the company's new services",
    "SUC3": "The new services are better than the competitors'",
    "SUC4": "I am satisfied with the company's new services",
}
ITEMS = list(ITEM_TEXT)
CODES = {
    "gender": ["male", "female"],
    "age_group": ["18-25", "26-35", "36-45", "46+"],
    "education": ["Diploma", "Bachelor", "Master", "PhD"],
}
LIKERT = {1.0: "very low", 2.0: "low", 3.0: "medium", 4.0: "high", 5.0: "very high"}
NO_ANSWER = 9.0
USER_MISSING = ("23", "QUA2")  # (id, item): the one missing answer written as 9 = "no answer"


def main():
    with open(CSV, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    columns = {"id": [float(r["id"]) for r in rows]}
    for name, levels in CODES.items():
        columns[name] = [float(levels.index(r[name]) + 1) for r in rows]
    columns["comment"] = [r["comment"] for r in rows]
    for item in ITEMS:
        columns[item] = [math.nan if r[item] in ("", "NA", ".") else float(r[item]) for r in rows]
    respondent, item = USER_MISSING
    (row,) = [i for i, r in enumerate(rows) if r["id"] == respondent]
    assert math.isnan(columns[item][row]), f"respondent {respondent}'s {item} is not missing in the CSV"
    system_missing = pd.DataFrame(columns)
    columns[item][row] = NO_ANSWER
    spss = pd.DataFrame(columns)

    labels = {
        "id": "Respondent number",
        "gender": "Gender",
        "age_group": "Age group (years)",
        "education": "Highest completed education",
        "comment": "Anything else you would like to tell us?",
    }
    labels.update({name: f"Q{k + 1}. {text}" for k, (name, text) in enumerate(ITEM_TEXT.items())})
    value_labels = {name: {float(k + 1): level for k, level in enumerate(levels)} for name, levels in CODES.items()}
    formats = {name: "F1.0" for name in list(CODES) + ITEMS}
    formats["id"] = "F4.0"
    formats["comment"] = "A60"
    spss_value_labels = dict(value_labels)
    spss_value_labels.update({item: {**LIKERT, NO_ANSWER: "no answer"} for item in ITEMS})
    measure = {"id": "scale", "gender": "nominal", "age_group": "ordinal", "education": "ordinal"}
    measure.update({item: "ordinal" for item in ITEMS})
    spss_args = dict(
        file_label="crmstat SampleData: synthetic CRM survey (Scripts/make-sav.py)",
        column_labels=labels,
        variable_value_labels=spss_value_labels,
        missing_ranges={item: [NO_ANSWER] for item in ITEMS},
        variable_measure=measure,
        variable_format=formats,
    )
    os.makedirs(TEST_DATA, exist_ok=True)
    pyreadstat.write_sav(spss, SAV, **spss_args)
    pyreadstat.write_sav(spss, os.path.join(TEST_DATA, "crm-survey.zsav"), compress=True, **spss_args)
    # Portable files are ASCII (no comment column, whose text is not) with names of at most 8 characters.
    short = {"age_group": "agegroup", "education": "educ"}
    pyreadstat.write_por(
        system_missing.drop(columns="comment").rename(columns=short), os.path.join(TEST_DATA, "crm-survey.por"),
        column_labels={short.get(name, name): text for name, text in labels.items()})

    stata_value_labels = dict(value_labels)
    stata_value_labels.update({item: LIKERT for item in ITEMS})
    stata_labels = {name: text[:80] for name, text in labels.items()}
    for version, name in ((15, "crm-survey.dta"), (12, "crm-survey-v12.dta")):
        pyreadstat.write_dta(
            system_missing, os.path.join(TEST_DATA, name), version=version, column_labels=stata_labels,
            variable_value_labels=stata_value_labels)

    write_half(system_missing)
    write_ratings()

    # Small seeds for the fuzzer: a few respondents and variables, labels and the user-missing code included.
    os.makedirs(FUZZ_CORPUS, exist_ok=True)
    head = ["id", "gender", "comment", "LOY1", "LOY2", "QUA2"]
    small = spss[head].iloc[18:26].copy()
    small_labels = {name: labels[name] for name in head}
    pyreadstat.write_sav(
        small, os.path.join(FUZZ_CORPUS, "head.sav"), column_labels=small_labels,
        variable_value_labels={name: spss_value_labels[name] for name in head if name in spss_value_labels},
        missing_ranges={"QUA2": [NO_ANSWER]}, row_compress=True)
    pyreadstat.write_sav(small, os.path.join(FUZZ_CORPUS, "head.zsav"), compress=True, column_labels=small_labels)
    pyreadstat.write_por(small.drop(columns="comment"), os.path.join(FUZZ_CORPUS, "head.por"))
    for version, name in ((15, "head.dta"), (12, "head-v12.dta")):
        pyreadstat.write_dta(
            small.drop(columns="comment"), os.path.join(FUZZ_CORPUS, name), version=version,
            variable_value_labels={"gender": value_labels["gender"]})

    # Read back: the answers must be the CSV's.
    back, _ = pyreadstat.read_sav(SAV)
    for name in ITEMS:
        for a, b in zip(back[name], system_missing[name]):
            assert (math.isnan(a) and math.isnan(b)) or a == b, name
    _, meta = pyreadstat.read_sav(SAV, user_missing=True, metadataonly=True)
    assert meta.missing_ranges[item] == [{"lo": NO_ANSWER, "hi": NO_ANSWER}]
    print(f"wrote {os.path.relpath(SAV, ROOT)}, 4 files in {os.path.relpath(TEST_DATA, ROOT)} and 5 in "
          f"{os.path.relpath(FUZZ_CORPUS, ROOT)} ({len(rows)} respondents)")


def write_ratings():
    ratings = pd.DataFrame({
        "expert": [float(e) for e in range(1, 11)],
        "Q1": [1.0 if e <= 9 else 2.0 for e in range(1, 11)],
        "Q2": [1.0 if e <= 7 else 0.0 for e in range(1, 11)],
    })
    directory = os.path.join(ROOT, "Tests", "EndToEndTests", "Data")
    os.makedirs(directory, exist_ok=True)
    pyreadstat.write_sav(
        ratings, os.path.join(directory, "ratings.sav"),
        variable_value_labels={"Q1": {1.0: "essential", 2.0: "useful but not essential", 3.0: "not necessary"}})


def write_half(system_missing):
    half = system_missing.drop(columns="comment").copy()
    (row,) = half.index[half["id"] == 6]
    half.loc[row, "LOY2"] = 2.5
    pyreadstat.write_sav(half, os.path.join(TEST_DATA, "crm-survey-half.sav"))


if __name__ == "__main__":
    main()
