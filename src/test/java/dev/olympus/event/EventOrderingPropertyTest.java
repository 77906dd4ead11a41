package dev.olympus.event;

import dev.olympus.event.OrderingDatabase.Seen;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.olympus.event.OrderingDatabase.head;
import static dev.olympus.event.OrderingDatabase.insert;
import static dev.olympus.event.OrderingDatabase.readAfter;
import static dev.olympus.event.OrderingDatabase.sequence;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings of three writers (insert, commit, roll back, in any order), sequencer runs and reads, on real
 * connections. Whatever the interleaving, the reader sees one gap-free order with each committed event exactly once,
 * nothing uncommitted or rolled back, each transaction's events in their order, and an event committed before a
 * sequencer run ahead of every event committed after that run.
 */
class EventOrderingPropertyTest {

    private static final int WRITERS = 3;

    /** One step: a writer's insert, commit or rollback, a sequencer run or a read. */
    record Step(String kind, int writer) {
        @Override
        public String toString() {
            return kind.equals("sequence") || kind.equals("read") ? kind : kind + writer;
        }
    }

    private static Connection[] writers;
    private static Connection sequencer;
    private static Connection reader;

    @Property(tries = 150)
    void everyInterleavingGivesOneGapFreeCompleteOrder(@ForAll("interleavings") List<Step> steps) throws SQLException {
        connect();
        sequence(sequencer);
        long[] cursor = {head(reader)};
        List<Seen> seen = new ArrayList<>();
        List<List<String>> pending = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            pending.add(new ArrayList<>());
        }
        Set<String> committed = new HashSet<>();
        Map<String, Integer> runsBeforeCommit = new HashMap<>();
        List<List<String>> transactions = new ArrayList<>();
        int[] runs = {0};
        int counter = 0;
        for (Step step : steps) {
            switch (step.kind()) {
                case "insert" -> {
                    String marker = "w" + step.writer() + "-" + counter++;
                    insert(writers[step.writer()], marker);
                    pending.get(step.writer()).add(marker);
                }
                case "commit" -> commit(step.writer(), pending, committed, runsBeforeCommit, transactions, runs[0]);
                case "rollback" -> {
                    writers[step.writer()].rollback();
                    pending.get(step.writer()).clear();
                }
                case "sequence" -> {
                    sequence(sequencer);
                    runs[0]++;
                }
                default -> read(cursor, seen, committed);
            }
        }
        for (int w = 0; w < WRITERS; w++) {
            commit(w, pending, committed, runsBeforeCommit, transactions, runs[0]);
        }
        sequence(sequencer);
        read(cursor, seen, committed);

        List<String> order = seen.stream().map(Seen::marker).toList();
        assertThat(order).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(committed);
        for (List<String> transaction : transactions) {
            assertThat(order.stream().filter(transaction::contains).toList()).isEqualTo(transaction);
        }
        for (int i = 0; i < order.size(); i++) {
            for (int j = i + 1; j < order.size(); j++) {
                assertThat(runsBeforeCommit.get(order.get(i)))
                        .as("%s is streamed before %s, so it was not committed after a run that preceded the other's commit",
                                order.get(i), order.get(j))
                        .isLessThanOrEqualTo(runsBeforeCommit.get(order.get(j)));
            }
        }
    }

    @Provide
    Arbitrary<List<Step>> interleavings() {
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(0, WRITERS - 1).map(w -> new Step("insert", w))),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, WRITERS - 1).map(w -> new Step("commit", w))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, WRITERS - 1).map(w -> new Step("rollback", w))),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Step("sequence", 0))),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(new Step("read", 0))));
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    private static void commit(int writer, List<List<String>> pending, Set<String> committed,
                               Map<String, Integer> runsBeforeCommit, List<List<String>> transactions, int runs)
            throws SQLException {
        writers[writer].commit();
        List<String> markers = pending.get(writer);
        if (!markers.isEmpty()) {
            committed.addAll(markers);
            markers.forEach(m -> runsBeforeCommit.put(m, runs));
            transactions.add(List.copyOf(markers));
            markers.clear();
        }
    }

    /** Reads after the cursor: continues at cursor + 1 without a gap, and shows committed events only. */
    private static void read(long[] cursor, List<Seen> seen, Set<String> committed) throws SQLException {
        for (Seen event : readAfter(reader, cursor[0])) {
            assertThat(event.position()).as("the position after %d", cursor[0]).isEqualTo(cursor[0] + 1);
            assertThat(committed).as("only committed events are visible").contains(event.marker());
            cursor[0] = event.position();
            seen.add(event);
        }
    }

    private static synchronized void connect() throws SQLException {
        if (writers != null) {
            return;
        }
        OrderingDatabase db = OrderingDatabase.get();
        writers = new Connection[WRITERS];
        for (int w = 0; w < WRITERS; w++) {
            writers[w] = db.connect();
            writers[w].setAutoCommit(false);
        }
        sequencer = db.connect();
        reader = db.connect();
    }

    @AfterContainer
    static void close() throws SQLException {
        if (writers != null) {
            for (Connection conn : writers) {
                conn.close();
            }
            sequencer.close();
            reader.close();
            writers = null;
        }
    }
}
