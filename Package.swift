// swift-tools-version:6.0
// The architecture of crmstat, one library target per job:
//   CLapack            system library: the LAPACK/BLAS symbols (Debian's liblapack-dev, libopenblas-dev)
//   LinearAlgebra      the only importer of CLapack; dense symmetric matrices, every `info` a thrown error
//   Diagnostics        the warnings every result carries: a stable code and a message
//   Distributions      normal, t, chi-square, binomial, Kolmogorov: CDFs and quantiles
//   SurveyData         CSV reading, Likert scale checks, reverse keying, listwise deletion, construct scores
//   CReadStat          system library: ReadStat, the SPSS/Stata file parser (Debian's libreadstat-dev)
//   StatFiles          the only importer of CReadStat: .sav/.zsav/.por/.dta into SurveyData's RawSurvey, with labels
//   ModelSyntax        lavaan model syntax: statements with their model-file line numbers
//   Ordinal            ordered items: thresholds, polychoric correlations, their asymptotic covariance (Muthén 1984)
//   ClassicalStatistics descriptives, reliability, normality, t-test, Friedman, sample size, CVR
//   SEM                CFA/SEM by maximum likelihood (lavaan's parameter table, fit measures, standardized solution)
//   FactorAnalysis     exploratory factor analysis as psych: KMO, Bartlett, parallel analysis, extraction, rotation
//   PLS                PLS-SEM as seminr/SmartPLS: Mode A/B, path/factorial/centroid, PLSc, quality criteria
//   Study              runs the whole study (each section a result type) from data + model + options
//   Reports            text, markdown, csv, json, html and docx (Word, via ZIPFoundation) renderings of a study
//                      (and of a PLS result, with its path diagram)
//   CrmstatCLI         argument parsing and exit codes, thin over Study and Reports
//   crmstat            the executable
import Foundation
import PackageDescription

// LAPACK and BLAS. Debug builds (the tests) and systems without OpenBLAS's static archive link the shared liblapack
// and libblas (Debian's alternatives point them at OpenBLAS). Release builds on Linux link OpenBLAS's static archive
// (libopenblas-dev installs it) and libgfortran for its two Fortran run-time helpers: the shared libopenblas carries
// about 14,000 symbol relocations that the dynamic loader resolves at every start, 4 to 5 ms of each run, which is
// most of a small survey's whole run (docs/benchmarks.md). Same OpenBLAS, same kernels, same results.
// Only the pthread build of the archive (Debian's default; the OpenMP one would also need libgomp).
let openBLASArchive = "/usr/lib/x86_64-linux-gnu/libopenblas.a"
let openBLASArchiveUsable =
    FileManager.default.fileExists(atPath: openBLASArchive)
    && URL(fileURLWithPath: openBLASArchive).resolvingSymlinksInPath().path.contains("/openblas-pthread/")
let lapackLinking: [LinkerSetting] =
    openBLASArchiveUsable
    ? [
        .linkedLibrary("lapack", .when(configuration: .debug)),
        .linkedLibrary("blas", .when(configuration: .debug)),
        .unsafeFlags(
            ["-Xlinker", openBLASArchive, "-Xlinker", "-l:libgfortran.so.5"],
            .when(platforms: [.linux], configuration: .release)),
    ]
    : [.linkedLibrary("lapack"), .linkedLibrary("blas")]
/// With the archive linked, LinearAlgebra calls OpenBLAS's thread controls directly (no `dlsym`: the archive's
/// symbols are not exported).
let lapackDefines: [SwiftSetting] =
    openBLASArchiveUsable
    ? [.define("OPENBLAS_LINKED_STATICALLY", .when(platforms: [.linux], configuration: .release))] : []

let package = Package(
    name: "crmstat",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "crmstat", targets: ["crmstat"]),
        .library(name: "Study", targets: ["Study"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(name: "CLapack", path: "Sources/CLapack"),
        .target(
            name: "LinearAlgebra", dependencies: ["CLapack"], swiftSettings: lapackDefines,
            linkerSettings: lapackLinking),
        .target(name: "Diagnostics"),
        .target(name: "Distributions"),
        .target(name: "SurveyData"),
        .systemLibrary(name: "CReadStat", path: "Sources/CReadStat", providers: [.apt(["libreadstat-dev"])]),
        .target(name: "StatFiles", dependencies: ["CReadStat", "SurveyData"]),
        .target(name: "ModelSyntax"),
        .target(name: "Ordinal", dependencies: ["Diagnostics", "LinearAlgebra", "Distributions"]),
        .target(name: "ClassicalStatistics", dependencies: ["Diagnostics", "Distributions", "LinearAlgebra"]),
        .target(
            name: "SEM", dependencies: ["Diagnostics", "ModelSyntax", "LinearAlgebra", "Distributions", "Ordinal"]),
        .target(name: "FactorAnalysis", dependencies: ["Diagnostics", "LinearAlgebra", "Distributions", "Ordinal"]),
        .target(name: "PLS", dependencies: ["Diagnostics", "ModelSyntax", "LinearAlgebra", "Distributions"]),
        .target(
            name: "Study",
            dependencies: [
                "Diagnostics", "SurveyData", "StatFiles", "ModelSyntax", "ClassicalStatistics", "Distributions",
                "LinearAlgebra", "SEM", "Ordinal",
            ]),
        .target(
            name: "Reports",
            dependencies: [
                "Diagnostics", "Study", "SEM", "PLS", "ClassicalStatistics", "Distributions", "SurveyData",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .target(
            name: "CrmstatCLI",
            dependencies: [
                "Diagnostics", "Study", "Reports", "SurveyData", "ClassicalStatistics", "SEM", "PLS", "FactorAnalysis",
                "LinearAlgebra", "ModelSyntax",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "crmstat", dependencies: ["CrmstatCLI"]),

        .testTarget(
            name: "CrmstatCLITests",
            dependencies: [
                "CrmstatCLI", "Distributions", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "DistributionsTests", dependencies: ["Distributions"]),
        .testTarget(name: "SurveyDataTests", dependencies: ["SurveyData"]),
        .testTarget(name: "StatFilesTests", dependencies: ["StatFiles", "SurveyData"], exclude: ["Data"]),
        .testTarget(name: "ModelSyntaxTests", dependencies: ["ModelSyntax"]),
        .testTarget(
            name: "ClassicalStatisticsTests", dependencies: ["ClassicalStatistics", "Diagnostics", "LinearAlgebra"],
            exclude: ["References"]),
        // Test support: the JSON value the reference comparisons decode (R's output and crmstat's).
        .target(name: "ReferenceJSON", path: "Tests/ReferenceJSON"),
        .testTarget(
            name: "SEMTests",
            dependencies: ["SEM", "Diagnostics", "Ordinal", "ModelSyntax", "LinearAlgebra", "ReferenceJSON"],
            exclude: ["References", "Data"]),
        .testTarget(
            name: "StudyTests",
            dependencies: ["Study", "Diagnostics", "Reports", "ReferenceJSON", "SEM", "SurveyData"],
            exclude: ["References", "Data"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: [
                "Reports", "Study", "SEM", "Diagnostics", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .testTarget(
            name: "PLSTests", dependencies: ["PLS", "Diagnostics", "ModelSyntax", "SurveyData", "ReferenceJSON"],
            exclude: ["References", "Data"]),
        .testTarget(
            name: "FactorAnalysisTests",
            dependencies: ["FactorAnalysis", "Diagnostics", "SurveyData", "ReferenceJSON"],
            exclude: ["References"]),
        .testTarget(name: "EndToEndTests", dependencies: [], exclude: ["Data"]),
    ]
)

// Release builds on Linux compile with cross-module optimisation (LinearAlgebra's element access and small helpers
// inline into SEM, Ordinal and the rest; same output, about 5 % less CPU on the FIML and WLSMV benchmarks) and
// link the Swift runtime and Foundation statically (what `--static-swift-stdlib` does):
// the process then starts without binding symbols across 15 shared libraries, which is most of a small survey's
// whole run (docs/benchmarks.md). The executable is linked as a fixed-address (non-PIE) program: its 81,000
// relative relocations would otherwise be applied at every start, faulting in and copying about 270 pages of
// metadata (2 ms of a 10 ms start). Generic types are instantiated through their metadata accessors instead of
// their mangled names (`-disable-concrete-type-metadata-mangled-name-accessors`): a mangled name is demangled at
// run time and each of its generic requirements (`CodingKeys: CodingKey` in every `encode(to:)`) looked up in the
// binary's 6,500 protocol conformances, about 1.3 ms of a 14 ms invariance run; the accessors pass the
// conformances the compiler already knows. Shared libraries are linked only when a symbol is taken from them
// (`--as-needed`): nothing of OpenBLAS's archive that crmstat calls needs libgfortran or libquadmath, whose loading
// and relocation were 0.4–0.5 ms of every run. Debug builds, which the tests use, stay dynamic and
// position-independent.
//
// The C++ standard library (which the Swift runtime, Foundation's ICU and nothing else use) is linked from its static
// archive too when `Scripts/link/libstdc++.a` resolves (a link to GCC 12's archive, where Debian 12's
// libstdc++-12-dev installs it; the Swift toolchain needs that package): the `-L` directory is searched before the
// compiler's own, so the `-lstdc++` that `-static-stdlib` passes finds the archive there instead of the shared
// library. Loading, relocating and initialising the shared libstdc++ took 1.5 ms of every start on the benchmark
// machine (docs/benchmarks.md). Elsewhere the link is dangling and the flag is left out: the shared library, as before.
let staticCXXDirectory = Context.packageDirectory + "/Scripts/link"
let staticCXXLinking =
    FileManager.default.fileExists(atPath: staticCXXDirectory + "/libstdc++.a") ? ["-L" + staticCXXDirectory] : []
for target in package.targets where target.type != .system {
    let staticStdlib = BuildSettingCondition.when(platforms: [.linux], configuration: .release)
    let flags = [
        "-static-stdlib", "-cross-module-optimization", "-Xfrontend",
        "-disable-concrete-type-metadata-mangled-name-accessors",
    ]
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(flags, staticStdlib)]
    if target.type == .executable {
        target.linkerSettings =
            (target.linkerSettings ?? []) + [
                .unsafeFlags(
                    ["-static-stdlib", "-Xclang-linker", "-no-pie", "-Xlinker", "--as-needed"] + staticCXXLinking,
                    staticStdlib)
            ]
    }
}
