import CStartup
import Foundation
import LinearAlgebra
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What the variable read inside `crmstat_with_environment_variable`'s body (a C callback captures nothing).
nonisolated(unsafe) private var seenInside: String?

/// crmstat's start-up (Sources/CStartup/startup.c) initialises OpenBLAS with OPENBLAS_NUM_THREADS=1 set for the
/// moment only: the helper it uses runs its body with the variable set, then leaves the environment exactly as it
/// was — the variable gone and `environ` the same array, which Swift's runtime reads the program's arguments
/// before (moved to the heap by setenv, the arguments came back empty: every command printed the overview).
@Suite(.serialized) struct StartupEnvironment {
    @Test func variableIsSetOnlyForTheBody() throws {
        let name = "CRMSTAT_STARTUP_TEST_\(getpid())"
        #expect(getenv(name) == nil)
        let before = environ
        let arguments = CommandLine.arguments
        seenInside = nil
        let ran = crmstat_with_environment_variable(name, "1") {
            seenInside = getenv("CRMSTAT_STARTUP_TEST_\(getpid())").map { String(cString: $0) }
        }
        #expect(ran == 1)
        #expect(seenInside == "1")
        #expect(getenv(name) == nil)
        #expect(environ == before)
        #expect(CommandLine.arguments == arguments)
    }

    /// Where start-up did initialise OpenBLAS (release builds with its archive), OpenBLAS runs one thread, no
    /// worker was started and the variable is not left in the environment; elsewhere the start-up changed nothing.
    @Test func startupLeavesNoTrace() {
        if crmstat_blas_preset() != 0 {
            #expect(BLASRuntime.startedWithoutWorkers)
            #expect(getenv("OPENBLAS_NUM_THREADS") == nil)
        } else {
            #expect(!BLASRuntime.startedWithoutWorkers)
        }
        let environment = ProcessInfo.processInfo.environment
        let variables = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]
        let userSet = variables.contains { environment[$0] != nil }
        #expect(crmstat_user_blas_threads() == (userSet ? 1 : 0))
    }
}
