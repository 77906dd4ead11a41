package dev.olympus.event;

import dev.olympus.event.OrderingDatabase.Seen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.olympus.event.OrderingDatabase.head;
import static dev.olympus.event.OrderingDatabase.insert;
import static dev.olympus.event.OrderingDatabase.readAfter;
import static dev.olympus.event.OrderingDatabase.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event log's ordering at the SQL level, transactions held open on connections of their own and committed in
 * chosen orders, with a reader looking between every step: a reader never sees a later event before an earlier
 * committed one is positioned, never sees a gap, never sees anything twice (docs/design-event-ordering.md).
 */
class EventOrderingTest {

    private final OrderingDatabase db = OrderingDatabase.get();
    private final List<Connection> open = new ArrayList<>();
    private Connection first;
    private Connection second;
    private Connection sequencer;
    private Connection reader;
    private long cursor;

    @BeforeEach
    void connect() throws SQLException {
        first = transactional();
        second = transactional();
        sequencer = autocommit();
        reader = autocommit();
        sequence(sequencer);
        cursor = head(reader);
    }

    @AfterEach
    void close() throws SQLException {
        for (Connection conn : open) {
            conn.close();
        }
    }

    @Test
    void theLaterTransactionCommitsFirstAndTheEarlierIsNotSkipped() throws SQLException {
        long a = insert(first, "A");
        long b = insert(second, "B");
        assertThat(a).isLessThan(b);
        assertThat(sequence(sequencer)).isZero();
        assertThat(read()).isEmpty();

        second.commit();
        assertThat(read()).as("committed but not positioned: invisible").isEmpty();
        assertThat(sequence(sequencer)).isEqualTo(1);
        assertThat(read()).extracting(Seen::marker).containsExactly("B");

        // A is still open: it holds nothing back, and nothing is positioned for it.
        assertThat(sequence(sequencer)).isZero();
        assertThat(read()).isEmpty();

        first.commit();
        assertThat(read()).isEmpty();
        assertThat(sequence(sequencer)).isEqualTo(1);
        assertThat(read()).extracting(Seen::marker).containsExactly("A");
    }

    @Test
    void eventsCommittedBeforeOneRunArePositionedInIdOrder() throws SQLException {
        insert(second, "B1");
        insert(first, "A1");
        insert(second, "B2");
        first.commit();
        second.commit();
        assertThat(sequence(sequencer)).isEqualTo(3);
        assertThat(read()).extracting(Seen::marker).containsExactly("B1", "A1", "B2");
    }

    @Test
    void aRolledBackEventLeavesNoHoleInThePositions() throws SQLException {
        insert(first, "rolled back");
        insert(second, "B");
        first.rollback();
        second.commit();
        sequence(sequencer);
        assertThat(read()).extracting(Seen::marker).containsExactly("B");
    }

    @Test
    void aSequencerWaitingForTheLockContinuesTheNumbersOfTheOneBeforeIt() throws Exception {
        insert(first, "A");
        first.commit();
        // Another instance's sequencer has positioned A but not committed yet: it holds the lock.
        Connection holder = transactional();
        assertThat(sequence(holder)).isEqualTo(1);
        assertThat(read()).isEmpty();

        // This instance's sequencer queues on the lock; B commits meanwhile.
        CompletableFuture<Integer> queued = CompletableFuture.supplyAsync(() -> {
            try {
                return sequence(sequencer);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingForTheLock() > 0);
        insert(second, "B");
        second.commit();
        assertThat(read()).isEmpty();

        // When the holder commits, the queued run sees A positioned (its snapshot is taken after the lock) and
        // positions only B, right after A: no duplicate position, no position twice.
        holder.commit();
        assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(read()).extracting(Seen::marker).containsExactly("A", "B");
    }

    @Test
    void concurrentWritersSequencersAndAReaderSeeOneGapFreeOrder() throws Exception {
        int writers = 6;
        int perWriter = 150;
        Set<String> committed = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                // Each writer sequences after its own commits, as every instance does: runs queue on the lock.
                try (Connection conn = db.connect(); Connection seq = db.connect()) {
                    conn.setAutoCommit(false);
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < perWriter; i++) {
                        String marker = writer + "-" + i;
                        insert(conn, marker);
                        if (random.nextInt(10) == 0) {
                            conn.rollback();
                            continue;
                        }
                        if (random.nextBoolean()) {
                            Thread.sleep(0, random.nextInt(500_000)); // widen the window between insert and commit
                        }
                        conn.commit();
                        committed.add(marker);
                        if (random.nextInt(3) > 0) {
                            sequence(seq);
                        }
                    }
                }
                return null;
            }));
        }
        List<Seen> seen = new ArrayList<>();
        Future<?> readerDone = Executors.newSingleThreadExecutor().submit(() -> {
            while (writing.get() || seen.size() < committed.size()) {
                seen.addAll(read());
            }
            return null;
        });
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        sequence(sequencer); // the last commits may have skipped their own run
        writing.set(false);
        readerDone.get(30, TimeUnit.SECONDS);

        assertThat(seen).extracting(Seen::marker).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(committed);
        // Each writer's events arrive in the order it committed them.
        for (int w = 0; w < writers; w++) {
            String prefix = w + "-";
            List<Integer> mine = seen.stream().map(Seen::marker).filter(m -> m.startsWith(prefix))
                    .map(m -> Integer.parseInt(m.substring(prefix.length()))).toList();
            assertThat(mine).isSorted();
        }
    }

    /** One read after the cursor: it must continue exactly at cursor + 1, without a gap. */
    private List<Seen> read() throws SQLException {
        List<Seen> seen = readAfter(reader, cursor);
        for (Seen event : seen) {
            assertThat(event.position()).as("the position after %d", cursor).isEqualTo(cursor + 1);
            cursor = event.position();
        }
        return seen;
    }

    private long waitingForTheLock() throws SQLException {
        try (Connection conn = db.connect(); Statement statement = conn.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Connection transactional() throws SQLException {
        Connection conn = autocommit();
        conn.setAutoCommit(false);
        return conn;
    }

    private Connection autocommit() throws SQLException {
        Connection conn = db.connect();
        open.add(conn);
        return conn;
    }
}
