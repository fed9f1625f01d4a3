package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamDispatcherTest {

    @Test
    void outcomesComeBackInItemOrder() throws Exception {
        try (StreamDispatcher d = new StreamDispatcher(4, "put")) {
            List<String> items = List.of("a:1", "b:1", "a:2", "c:1", "b:2");
            List<StreamDispatcher.Outcome<String>> out =
                    d.run(items, StreamDispatcherTest::stream, s -> s.toUpperCase());
            assertThat(out).extracting(o -> o.value).containsExactly("A:1", "B:1", "A:2", "C:1", "B:2");
            assertThat(out).allSatisfy(o -> {
                assertThat(o.failure).isNull();
                assertThat(o.skipped).isFalse();
            });
        }
    }

    @Test
    void itemsOfOneStreamRunInOrderOnOneThreadAtATime() throws Exception {
        Map<String, List<String>> seen = new ConcurrentHashMap<>();
        Map<String, Integer> running = new ConcurrentHashMap<>();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add((char) ('a' + i % 5) + ":" + i);
        }
        try (StreamDispatcher d = new StreamDispatcher(3, "put")) {
            d.run(items, StreamDispatcherTest::stream, item -> {
                String s = stream(item);
                if (running.merge(s, 1, Integer::sum) > 1) {
                    overlaps.add(item);
                }
                seen.computeIfAbsent(s, k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(item);
                running.merge(s, -1, Integer::sum);
                return null;
            });
        }
        assertThat(overlaps).isEmpty();
        for (Map.Entry<String, List<String>> e : seen.entrySet()) {
            List<String> expected =
                    items.stream().filter(i -> stream(i).equals(e.getKey())).toList();
            assertThat(e.getValue()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void differentStreamsRunConcurrently() throws Exception {
        // both streams must be inside their work at the same time for the barrier to open
        CyclicBarrier both = new CyclicBarrier(2);
        List<String> threads = new CopyOnWriteArrayList<>();
        try (StreamDispatcher d = new StreamDispatcher(2, "cw-put")) {
            List<StreamDispatcher.Outcome<Integer>> out =
                    d.run(List.of("a:1", "b:1"), StreamDispatcherTest::stream, i -> {
                        threads.add(Thread.currentThread().getName());
                        return both.await(30, TimeUnit.SECONDS);
                    });
            assertThat(out).extracting(o -> o.failure).containsOnlyNulls();
        }
        assertThat(threads).hasSize(2).allMatch(n -> n.startsWith("cw-put-"));
    }

    @Test
    void oneStreamOrOneThreadRunsOnTheCaller() throws Exception {
        Thread caller = Thread.currentThread();
        try (StreamDispatcher d = new StreamDispatcher(4, "put")) {
            d.run(List.of("a:1", "a:2"), StreamDispatcherTest::stream, i -> {
                assertThat(Thread.currentThread()).isSameAs(caller);
                return null;
            });
        }
        try (StreamDispatcher d = new StreamDispatcher(1, "put")) {
            d.run(List.of("a:1", "b:1"), StreamDispatcherTest::stream, i -> {
                assertThat(Thread.currentThread()).isSameAs(caller);
                return null;
            });
        }
    }

    @Test
    void failureSkipsTheRestOfItsStreamOnly() throws Exception {
        try (StreamDispatcher d = new StreamDispatcher(2, "put")) {
            List<String> items = List.of("a:1", "b:1", "a:bad", "b:2", "a:3", "a:4");
            List<StreamDispatcher.Outcome<String>> out = d.run(items, StreamDispatcherTest::stream, item -> {
                if (item.endsWith("bad")) {
                    throw new IOException("rejected " + item);
                }
                return item;
            });
            assertThat(out.get(0).value).isEqualTo("a:1");
            assertThat(out.get(1).value).isEqualTo("b:1");
            assertThat(out.get(2).failure).isInstanceOf(IOException.class).hasMessage("rejected a:bad");
            assertThat(out.get(2).skipped).isFalse();
            assertThat(out.get(3).value).isEqualTo("b:2");
            assertThat(out.get(4).skipped).isTrue();
            assertThat(out.get(4).failure).isNull();
            assertThat(out.get(5).skipped).isTrue();
        }
    }

    @Test
    void interruptionPropagates() throws Exception {
        try (StreamDispatcher d = new StreamDispatcher(1, "put")) {
            assertThatThrownBy(() -> d.run(List.of("a:1"), StreamDispatcherTest::stream, i -> {
                        throw new InterruptedException("stop");
                    }))
                    .isInstanceOf(InterruptedException.class);
        }
        try (StreamDispatcher d = new StreamDispatcher(2, "put")) {
            assertThatThrownBy(() -> d.run(List.of("a:1", "b:1"), StreamDispatcherTest::stream, i -> {
                        throw new InterruptedException("stop");
                    }))
                    .isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    void emptyInputAndReuseAfterClose() throws Exception {
        StreamDispatcher d = new StreamDispatcher(2, "put");
        assertThat(d.run(List.<String>of(), StreamDispatcherTest::stream, i -> i))
                .isEmpty();
        d.close();
        // a closed dispatcher starts a new pool when it is used again
        assertThat(d.run(List.of("a:1", "b:1"), StreamDispatcherTest::stream, i -> i))
                .extracting(o -> o.value)
                .containsExactly("a:1", "b:1");
        d.close();
    }

    private static String stream(String item) {
        return item.substring(0, item.indexOf(':'));
    }
}
