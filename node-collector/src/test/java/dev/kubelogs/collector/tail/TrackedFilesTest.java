package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackedFilesTest {
    @TempDir
    Path tmp;

    private WatchedLogTree watched;
    private TrackedFiles files;

    @BeforeEach
    void files() throws IOException {
        watched = new WatchedLogTree(tmp);
        files = new TrackedFiles(watched.watcher);
    }

    @AfterEach
    void close() {
        files.closeAll();
        watched.close();
    }

    private TrackedFile open(String logical, String name) throws IOException {
        Path p = Files.writeString(tmp.resolve(name), "line\n");
        TrackedFile f = new TrackedFile(
                logical,
                FileIdentity.stat(p).id(),
                SourceKind.CONTAINER,
                p,
                FileChannel.open(p, StandardOpenOption.READ),
                0,
                0);
        files.opened(f);
        return f;
    }

    @Test
    void anOpenedFileIsKnownByIdentityAndFollowedAtItsPath() throws IOException {
        TrackedFile a = open("/a", "a.log");
        assertThat(files.isOpen(a.id)).isTrue();
        assertThat(files.atPath("/a")).isNull();

        files.follow(a);

        assertThat(files.atPath("/a")).isSameAs(a);
        assertThat(files.size()).isEqualTo(1);
    }

    @Test
    void pathsAreListedInTheOrderTheyWereFirstFound() throws IOException {
        TrackedFile c = open("/c", "c.log");
        TrackedFile a = open("/a", "a.log");
        TrackedFile b = open("/b", "b.log");
        files.follow(c);
        files.follow(a);
        files.follow(b);

        assertThat(files.paths()).containsExactly("/c", "/a", "/b");
        assertThat(files.all()).containsExactly(c, a, b);
    }

    @Test
    void aFileThatLeftItsPathIsReadOnAsRotatedUntilReleased() throws IOException {
        TrackedFile old = open("/a", "a.log.1");
        files.follow(old);

        TrackedFile left = files.leavePath("/a");
        files.addRotated(left);
        TrackedFile next = open("/a", "a.log");
        files.follow(next);

        assertThat(left).isSameAs(old);
        assertThat(old.rotated()).isTrue();
        assertThat(files.rotated()).containsExactly(old);
        assertThat(files.all()).containsExactly(next, old);
        assertThat(files.size()).isEqualTo(2);

        files.release(old);

        assertThat(files.rotated()).isEmpty();
        assertThat(files.isOpen(old.id)).isFalse();
        assertThat(old.channel.isOpen()).isFalse();
        assertThat(files.all()).containsExactly(next);
    }

    @Test
    void closingAllClosesEveryFileAndForgetsThem() throws IOException {
        TrackedFile a = open("/a", "a.log");
        TrackedFile b = open("/b", "b.log");
        files.follow(a);
        files.leavePath("/b");
        files.addRotated(b);

        files.closeAll();

        assertThat(a.channel.isOpen()).isFalse();
        assertThat(b.channel.isOpen()).isFalse();
        assertThat(files.size()).isZero();
        assertThat(files.all()).isEmpty();
        assertThat(files.paths()).isEmpty();
    }

    @Test
    void theListsHandedOutAreCopies() throws IOException {
        TrackedFile a = open("/a", "a.log");
        files.follow(a);

        files.paths().clear();
        files.all().clear();
        files.rotated().add(a);

        assertThat(files.paths()).containsExactly("/a");
        assertThat(files.rotated()).isEmpty();
    }
}
