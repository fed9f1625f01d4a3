package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** (device, inode) identity of a file: stable across renames, followed through symlinks, found again after rotation. */
class FileIdentityTest {
    @TempDir
    Path dir;

    @Test
    void statGivesIdentitySizeAndWhetherItIsARegularFile() throws Exception {
        Path f = Files.writeString(dir.resolve("a.log"), "12345");

        FileIdentity.Stat st = FileIdentity.stat(f);

        assertThat(st.size()).isEqualTo(5);
        assertThat(st.regular()).isTrue();
        assertThat(st.id().inode()).isPositive();
        assertThat(FileIdentity.stat(dir).regular()).isFalse();
        assertThat(FileIdentity.stat(dir).id()).isNotEqualTo(st.id());
    }

    @Test
    void aSymlinkIsFollowed() throws Exception {
        Path f = Files.writeString(dir.resolve("a.log"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link.log"), f);

        assertThat(FileIdentity.stat(link)).isEqualTo(FileIdentity.stat(f));
    }

    @Test
    void theIdentitySurvivesARename() throws Exception {
        Path f = Files.writeString(dir.resolve("a.log"), "x");
        FileIdentity id = FileIdentity.stat(f).id();

        Path moved = Files.move(f, dir.resolve("a.log.1"));

        assertThat(FileIdentity.stat(moved).id()).isEqualTo(id);
    }

    @Test
    void statOfAMissingFileFails() {
        assertThatThrownBy(() -> FileIdentity.stat(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void locateFindsTheFileAtItsPath() throws Exception {
        Path f = Files.writeString(dir.resolve("a.log"), "x");

        assertThat(FileIdentity.stat(f).id().locate(f)).isEqualTo(f);
    }

    @Test
    void locateFindsARotatedFileInItsDirectory() throws Exception {
        Path f = Files.writeString(dir.resolve("a.log"), "x");
        FileIdentity id = FileIdentity.stat(f).id();
        Path rotated = Files.move(f, dir.resolve("a.log.1"));
        Files.writeString(f, "the new generation");

        assertThat(id.locate(f)).isEqualTo(rotated);
    }

    @Test
    void locateIgnoresSymlinksToTheFileInTheDirectory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("real"));
        Path f = Files.writeString(sub.resolve("a.log"), "x");
        FileIdentity id = FileIdentity.stat(f).id();
        Path elsewhere = Files.move(f, dir.resolve("moved-out.log"));
        Files.createSymbolicLink(sub.resolve("link.log"), elsewhere);

        assertThat(id.locate(f))
                .as("only a symlink to it is left in its directory")
                .isNull();
    }

    @Test
    void locateOfADeletedFileIsNull() throws Exception {
        Path f = Files.writeString(dir.resolve("a.log"), "x");
        FileIdentity id = FileIdentity.stat(f).id();
        Files.delete(f);

        assertThat(id.locate(f)).isNull();
        assertThat(id.locate(dir.resolve("gone-dir/a.log")))
                .as("its directory gone too")
                .isNull();
    }

    @Test
    void toStringIsDeviceColonInode() {
        assertThat(new FileIdentity(259, 1234)).hasToString("259:1234");
    }
}
