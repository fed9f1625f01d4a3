package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.spool.SpoolPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySpoolListingTest {
    @TempDir
    Path spool;

    private Path node(String cluster, String node) throws Exception {
        return Files.createDirectories(spool.resolve(cluster).resolve(node));
    }

    private static void segment(Path node, long seq) throws Exception {
        Files.writeString(node.resolve(SpoolPaths.segmentFileName(seq)), "segment " + seq);
    }

    private Map<String, SpoolListing.Node> list() throws Exception {
        return new DirectorySpoolListing(new org.apache.flink.core.fs.Path(spool.toUri())).list();
    }

    @Test
    void listsEveryNodesSegmentsBySeq() throws Exception {
        Path a = node("prod", "node-a");
        segment(a, 10);
        segment(a, 2);
        segment(a, 3);
        Path b = node("staging", "node-b");
        segment(b, 0);
        node("prod", "node-empty");

        Map<String, SpoolListing.Node> listing = list();
        assertThat(listing).containsOnlyKeys("prod/node-a", "staging/node-b", "prod/node-empty");
        assertThat(listing.get("prod/node-a").segments).containsOnlyKeys(2L, 3L, 10L);
        assertThat(listing.get("prod/node-a").segments.firstKey()).isEqualTo(2L);
        assertThat(listing.get("prod/node-a").segments.get(10L).getPath().getName())
                .isEqualTo(SpoolPaths.segmentFileName(10));
        assertThat(listing.get("prod/node-a").segments.get(10L).getLen()).isEqualTo("segment 10".length());
        assertThat(listing.get("staging/node-b").segments).containsOnlyKeys(0L);
        assertThat(listing.get("prod/node-empty").segments).isEmpty();
        assertThat(listing.get("prod/node-a").sealedSeq).isNull();
    }

    @Test
    void temporaryAndForeignFilesAreNotSegments() throws Exception {
        Path a = node("prod", "node-a");
        segment(a, 1);
        Files.writeString(a.resolve(SpoolPaths.tempFileName(2)), "being written");
        Files.writeString(a.resolve("42.seg"), "not twenty digits");
        Files.writeString(a.resolve("notes.txt"), "x");
        Files.createDirectories(a.resolve(SpoolPaths.segmentFileName(3)));
        assertThat(list().get("prod/node-a").segments).containsOnlyKeys(1L);
    }

    @Test
    void hiddenDirectoriesAndFilesBesideTheLevelsAreSkipped() throws Exception {
        segment(node(".trash", "node-a"), 1);
        segment(node("prod", ".node-a"), 1);
        Files.writeString(spool.resolve("README"), "x");
        Files.writeString(spool.resolve("prod").resolve("stray-file"), "x");
        segment(node("prod", "node-a"), 1);
        assertThat(list()).containsOnlyKeys("prod/node-a");
    }

    @Test
    void theSealMarkerGivesTheLastSeq() throws Exception {
        Path a = node("prod", "node-a");
        segment(a, 7);
        Files.writeString(a.resolve(SpoolPaths.SEALED), "7\n", StandardCharsets.UTF_8);
        Path empty = node("prod", "node-b");
        Files.writeString(empty.resolve(SpoolPaths.SEALED), "");
        Path garbled = node("prod", "node-c");
        Files.writeString(garbled.resolve(SpoolPaths.SEALED), "seven");

        Map<String, SpoolListing.Node> listing = list();
        assertThat(listing.get("prod/node-a").sealedSeq).isEqualTo(7L);
        assertThat(listing.get("prod/node-a").segments).containsOnlyKeys(7L);
        // sealed before it wrote any segment
        assertThat(listing.get("prod/node-b").sealedSeq).isEqualTo(-1L);
        // unreadable: logged, the node stays unsealed rather than finishing early
        assertThat(listing.get("prod/node-c").sealedSeq).isNull();
    }

    @Test
    void aMissingRootListsAsEmpty() throws Exception {
        Path missing = spool.resolve("not-yet");
        assertThat(new DirectorySpoolListing(new org.apache.flink.core.fs.Path(missing.toUri())).list())
                .isEmpty();
        assertThat(list()).isEmpty();
    }

    @Test
    void theDiscoveryScheduleReplacesItsFileWholeAtTheRootAndIsNotTakenForANode() throws Exception {
        segment(node("prod", "node-a"), 1);
        DirectorySpoolListing listing = new DirectorySpoolListing(new org.apache.flink.core.fs.Path(spool.toUri()));

        listing.writeSchedule("{\"version\":1,\"periodMillis\":5000}".getBytes(StandardCharsets.UTF_8));
        listing.writeSchedule("{\"version\":1,\"periodMillis\":10000}".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(spool.resolve(DiscoverySchedulePublisher.OBJECT_NAME)))
                .isEqualTo("{\"version\":1,\"periodMillis\":10000}");
        try (var files = Files.list(spool)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("no temporary file left behind")
                    .containsExactlyInAnyOrder("prod", DiscoverySchedulePublisher.OBJECT_NAME);
        }
        assertThat(list()).containsOnlyKeys("prod/node-a");
    }
}
