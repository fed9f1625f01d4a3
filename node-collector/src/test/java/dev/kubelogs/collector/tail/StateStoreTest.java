package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path tmp;

    private StateStore store;

    @BeforeEach
    void store() throws IOException {
        store = new StateStore(tmp, "prod", "node-1");
    }

    private static CollectorState state(long seq) {
        CollectorState s = new CollectorState();
        s.cluster = "prod";
        s.node = "node-1";
        s.committedSeq = seq;
        CollectorState.FileState f = new CollectorState.FileState();
        f.path = "/var/log/containers/a.log";
        f.device = 1;
        f.inode = 2;
        f.generation = 3;
        f.kind = "CONTAINER";
        f.offset = 4096;
        s.files.add(f);
        return s;
    }

    @Test
    void theStateLivesUnderClusterAndNode() {
        assertThat(store.directory()).isEqualTo(tmp.resolve("prod").resolve("node-1"));
        assertThat(store.directory()).isDirectory();
    }

    @Test
    void aFirstStartHasNoStateAndNoProblem() {
        assertThat(store.loadCommitted()).isEqualTo(new StateStore.Loaded(null, null));
        assertThat(store.loadPending()).isEqualTo(new StateStore.Loaded(null, null));
    }

    @Test
    void theCommittedStateIsReadBack() throws IOException {
        store.commit(state(7));

        StateStore.Loaded loaded = new StateStore(tmp, "prod", "node-1").loadCommitted();
        assertThat(loaded.problem()).isNull();
        assertThat(loaded.state().committedSeq).isEqualTo(7);
        assertThat(loaded.state().files).singleElement().satisfies(f -> {
            assertThat(f.offset).isEqualTo(4096);
            assertThat(f.generation).isEqualTo(3);
        });
    }

    @Test
    void committingRemovesThePendingState() throws IOException {
        store.writePending(state(8));
        assertThat(store.loadPending().state().committedSeq).isEqualTo(8);
        assertThat(store.loadCommitted().state()).isNull();

        store.commit(state(8));

        assertThat(store.loadPending().state()).isNull();
        assertThat(store.loadCommitted().state().committedSeq).isEqualTo(8);
    }

    @Test
    void thePendingStateIsCommittedByTakingThePlaceOfTheCommittedOne() throws IOException {
        store.commit(state(1));
        store.writePending(state(2));

        store.commitPending();

        assertThat(store.loadPending().state()).isNull();
        CollectorState committed = store.loadCommitted().state();
        assertThat(committed.committedSeq).isEqualTo(2);
        assertThat(committed.files).singleElement().extracting(f -> f.offset).isEqualTo(4096L);
        try (var names = Files.list(store.directory())) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
    }

    @Test
    void aPendingStateCanBeDroppedAlone() throws IOException {
        store.commit(state(1));
        store.writePending(state(2));

        store.deletePending();
        store.deletePending(); // none left: nothing to do

        assertThat(store.loadPending().state()).isNull();
        assertThat(store.loadCommitted().state().committedSeq).isEqualTo(1);
    }

    @Test
    void aCorruptStateIsMovedAsideAndReportedNotFatal() throws IOException {
        Path file = store.directory().resolve("state.json");
        Files.writeString(file, "{\"version\":1,\"files\":[{\"path\":", StandardCharsets.UTF_8);

        StateStore.Loaded loaded = store.loadCommitted();

        assertThat(loaded.state()).isNull();
        assertThat(loaded.problem()).contains("corrupt state file").contains(file.toString());
        assertThat(file).doesNotExist();
        assertThat(asideFiles("state.json.corrupt-")).isEqualTo(1);
        // the next start begins without it
        assertThat(store.loadCommitted()).isEqualTo(new StateStore.Loaded(null, null));
    }

    @Test
    void aStateOfAnotherVersionOrWithoutFilesIsNotTrusted() throws IOException {
        Path pending = store.directory().resolve("pending.json");
        Files.writeString(pending, "{\"version\":2,\"files\":[]}", StandardCharsets.UTF_8);
        assertThat(store.loadPending().problem()).contains("not a version-1 collector state");

        Files.writeString(pending, "{\"version\":1,\"files\":null}", StandardCharsets.UTF_8);
        assertThat(store.loadPending().problem()).contains("not a version-1 collector state");
        assertThat(pending).doesNotExist();
    }

    private long asideFiles(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(store.directory())) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }
}
