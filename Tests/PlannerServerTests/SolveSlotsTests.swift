@testable import PlannerServer
import XCTest

final class SolveSlotsTests: XCTestCase {
    /// Holds its callers until opened.
    actor Gate {
        private var open = false
        private var waiters: [CheckedContinuation<Void, Never>] = []
        func wait() async {
            if open { return }
            await withCheckedContinuation { waiters.append($0) }
        }
        func release() {
            open = true
            for w in waiters { w.resume() }
            waiters = []
        }
    }

    /// Yields until `condition` holds (no clock: the tasks it waits for only need turns to run).
    func eventually(_ condition: () async -> Bool) async {
        for _ in 0..<1_000_000 {
            if await condition() { return }
            await Task.yield()
        }
        XCTFail("condition never held")
    }

    func testAtMostCapacityRunAndTheQueueIsBounded() async throws {
        let slots = SolveSlots(capacity: 2, maximumWaiting: 2)
        let gate = Gate()
        let tasks = (0..<4).map { i in Task { try await slots.withSlots(1) { await gate.wait(); return i } } }
        await eventually { let (a, b) = (await slots.inUse, await slots.waitingCount); return a == 2 && b == 2 }
        do {
            _ = try await slots.withSlots(1) { 0 }
            XCTFail("a fifth caller is expected to be refused")
        } catch {
            XCTAssertEqual(error, .queueFull)
        }
        await gate.release()
        var done: [Int] = []
        for t in tasks { done.append(try await t.value) }
        XCTAssertEqual(done, [0, 1, 2, 3])
        let inUse = await slots.inUse
        XCTAssertEqual(inUse, 0)
    }

    func testASweepTakesEverySlotAndWaitsForThemInTurn() async throws {
        let slots = SolveSlots(capacity: 3, maximumWaiting: 10)
        let gate = Gate(), sweepGate = Gate()
        let single = Task { try await slots.withSlots(1) { await gate.wait() } }
        await eventually { await slots.inUse == 1 }
        // Asks for more than there are: capped at the capacity, so it waits for the single solve.
        let sweep = Task { try await slots.withSlots(100) { await sweepGate.wait() } }
        await eventually { await slots.waitingCount == 1 }
        // A later single solve queues behind the sweep although two slots are free (first come, first served).
        let later = Task { try await slots.withSlots(1) { } }
        await eventually { await slots.waitingCount == 2 }
        var inUse = await slots.inUse
        XCTAssertEqual(inUse, 1)
        await gate.release()
        try await single.value
        await eventually { await slots.inUse == 3 }
        await sweepGate.release()
        try await sweep.value
        try await later.value
        inUse = await slots.inUse
        XCTAssertEqual(inUse, 0)
    }
}
