import Foundation
import Testing

/// Issue 21's hostile inputs through the built binary: each ends promptly in the contract's exit code and a
/// message that names the file and the cause, never in a signal, a hang or gigabytes of memory.
@Suite(.serialized) struct FaultSuite {
    /// Runs crmstat and returns the run with its wall time.
    func timed(_ arguments: [String]) throws -> (run: Run, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let run = try crmstat(arguments)
        let elapsed = clock.now - start
        return (run, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    #if os(Linux)
        @Test func devZeroAsDataIsBinaryDataAtOnce() throws {
            let (run, seconds) = try timed(["describe", "/dev/zero", "--model", sampleModel])
            #expect(run.status == 65, "\(run.stderr)")
            #expect(run.stderr.contains("/dev/zero") && run.stderr.contains("binary data at line 1"), "\(run.stderr)")
            #expect(seconds < 10, "took \(seconds) s")
        }
    #endif

    @Test func nulByteInACSVIsBinaryDataWithItsPlace() throws {
        let directory = try scratchDirectory()
        let data = directory.appendingPathComponent("d.csv")
        try Data(Array("a,b,c\n1,2,3\n4,".utf8) + [0] + Array(",5\n2,3,4\n".utf8)).write(to: data)
        let model = try write("F =~ a + b + c\n", "m.lav", in: directory)
        let run = try crmstat(["describe", data.path, "--model", model])
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stderr.contains("d.csv:3:2") && run.stderr.contains("binary data at line 3"), "\(run.stderr)")
    }

    @Test func deeplyNestedDefinitionIsAModelErrorOnItsLine() throws {
        let directory = try scratchDirectory()
        let deep = String(repeating: "(", count: 19_500) + "a*b" + String(repeating: ")", count: 19_500)
        let minus = String(repeating: "-", count: 100_000) + "a"
        for expression in [deep, minus] {
            let model = try write(
                "F =~ LOY1 + a*LOY2 + b*LOY3\nG =~ QUA1 + QUA2 + QUA3\nG ~ F\nind := \(expression)\n", "m.lav",
                in: directory)
            let run = try crmstat(["sem", sampleData, "--model", model])
            #expect(run.status == 65, "\(run.stderr.prefix(300))")
            #expect(
                run.stderr.contains("m.lav:4") && run.stderr.contains("deeper than 256"), "\(run.stderr.prefix(300))")
        }
    }

    @Test func twoThousandConstructsOnASmallFileAreRefusedPromptly() throws {
        let directory = try scratchDirectory()
        let constructs = 2_000
        let model = (0..<constructs).map { k in "F\(k) =~ x\(k)a + x\(k)b + x\(k)c" }.joined(separator: "\n")
        let columns = (0..<constructs).flatMap { k in ["x\(k)a", "x\(k)b", "x\(k)c"] }
        var csv = columns.joined(separator: ",") + "\n"
        for row in 0..<30 {
            csv += (0..<columns.count).map { String(1 + (row * 7 + $0 * 3 + $0 / 5) % 5) }.joined(separator: ",") + "\n"
        }
        let (run, seconds) = try timed([
            "sem", try write(csv, "d.csv", in: directory), "--model", try write(model, "big.lav", in: directory),
            "--scale", "1-5",
        ])
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stderr.contains("30 complete rows for 6000 observed variables"), "\(run.stderr)")
        #expect(seconds < 30, "took \(seconds) s")
    }
}
